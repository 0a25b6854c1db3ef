package dev.bkv.client;

import com.google.protobuf.ByteString;
import dev.bkv.client.FleetSession.Rpc;
import dev.bkv.node.api.ChangePasswordRequest;
import dev.bkv.node.api.ChangePasswordResponse;
import dev.bkv.node.api.DeleteRequest;
import dev.bkv.node.api.DeleteResponse;
import dev.bkv.node.api.LoginBinding;
import dev.bkv.node.api.RegisterFinishRequest;
import dev.bkv.node.api.RegisterFinishResponse;
import dev.bkv.node.api.StatusRequest;
import dev.bkv.node.api.StatusResponse;
import dev.bkv.node.api.VaultGrpc;
import dev.bkv.node.api.VaultGrpc.VaultBlockingStub;
import dev.bkv.opaque.Argon2idKsf;
import dev.bkv.opaque.CipherSuite;
import dev.bkv.recovery.SecretBytes;
import dev.bkv.seal.SealedBackupKey;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The app's view of a bkv fleet: register a backup key under a password, recover it, delete it,
 * change the password. Every call runs in the fleet channel (DESIGN §9): encrypted to the fleet
 * key the {@link TrustAnchor} vouches for, with a tenant token for the user from {@link
 * TenantTokens}, and only answers written by that key's holder are believed. Each operation runs
 * whole against one member and moves to the next member if that one is unreachable or has no
 * Raft majority (a login restarted elsewhere costs one more attempt: over-counting is the safe
 * direction). Thread-safe.
 *
 * <p>The gRPC transport is the app's: by default the one gRPC finds on the class path
 * ({@code grpc-netty-shaded} on a server, {@code grpc-okhttp} on Android), or any other through
 * {@link Builder#transport}.
 */
public final class VaultClient implements AutoCloseable {
  /** {@code RegisterFinishRequest.registration_id} (vault.proto): random bytes per registration. */
  static final int REGISTRATION_ID_LENGTH = 16;

  private final List<Endpoint> endpoints;
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final TrustAnchor trust;
  private final TenantTokens tenantTokens;
  private final CipherSuite suite;
  private final SecureRandom rng;
  private final Duration callTimeout;
  private final VaultClient previous;
  private volatile int preferred;

  private VaultClient(Builder b, ChannelCredentials creds) throws IOException {
    this.endpoints = List.copyOf(b.endpoints);
    this.trust = b.trust;
    this.tenantTokens = b.tenantTokens;
    this.suite = b.suite;
    this.rng = b.rng;
    this.callTimeout = b.callTimeout;
    VaultClient prev = null;
    if (b.previousEndpoints != null) {
      Builder pb = new Builder().endpoints(b.previousEndpoints).trustAnchor(b.previousTrust)
          .tenantTokens(b.tenantTokens).transport(b.transport).suite(b.suite).random(b.rng)
          .callTimeout(b.callTimeout);
      pb.caPem = b.caPem;
      pb.caPemBytes = b.caPemBytes;
      pb.plaintext = b.plaintext;
      prev = new VaultClient(pb, creds);
    }
    this.previous = prev;
    for (Endpoint e : endpoints) {
      try {
        channels.add(b.transport.open(e, creds));
      } catch (IOException | RuntimeException x) {
        close();
        throw x;
      }
    }
  }

  /**
   * Opens the gRPC channel to one member with the credentials the builder chose (TLS with the
   * trusted CA, or plaintext); for example, on Android: {@code (e, creds) ->
   * OkHttpChannelBuilder.forAddress(e.host(), e.port(), creds).build()}.
   */
  @FunctionalInterface
  public interface Transport {
    ManagedChannel open(Endpoint endpoint, ChannelCredentials credentials) throws IOException;

    /** The transport gRPC finds on the class path ({@code ManagedChannelProvider}). */
    static Transport classPath() {
      return (e, creds) -> Grpc.newChannelBuilderForAddress(e.host(), e.port(), creds).build();
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Options; TLS needs {@link #trustedCa}, plaintext must be chosen with {@link #plaintext}. */
  public static final class Builder {
    private final List<Endpoint> endpoints = new ArrayList<>();
    private TrustAnchor trust;
    private TenantTokens tenantTokens;
    private Path caPem;
    private byte[] caPemBytes;
    private Transport transport = Transport.classPath();
    private boolean plaintext;
    private CipherSuite suite = new CipherSuite(
        "bkv/v1".getBytes(StandardCharsets.UTF_8), Argon2idKsf.opaqueKeDefault());
    private SecureRandom rng = new SecureRandom();
    private Duration callTimeout = Duration.ofSeconds(30);
    private List<Endpoint> previousEndpoints;
    private TrustAnchor previousTrust;

    /**
     * The fleet epoch before this one, while a rollover is under way (DESIGN §11): a user whose
     * record is still there recovers from it and is moved to this fleet in the same call.
     * {@code trust} vouches for the earlier fleet's key (a bundle naming it, or its pinned key).
     */
    public Builder previousFleet(List<Endpoint> endpoints, TrustAnchor trust) {
      if (endpoints.isEmpty()) {
        throw new IllegalArgumentException("the previous fleet needs at least one endpoint");
      }
      this.previousEndpoints = List.copyOf(endpoints);
      this.previousTrust = Objects.requireNonNull(trust);
      return this;
    }

    public Builder endpoint(Endpoint e) {
      endpoints.add(e);
      return this;
    }

    public Builder endpoints(List<Endpoint> es) {
      endpoints.addAll(es);
      return this;
    }

    public Builder trustAnchor(TrustAnchor t) {
      this.trust = t;
      return this;
    }

    /** Where tenant tokens come from (required: members refuse calls without one). */
    public Builder tenantTokens(TenantTokens t) {
      this.tenantTokens = Objects.requireNonNull(t);
      return this;
    }

    /** TLS trusting the CA certificates in this PEM file. */
    public Builder trustedCa(Path caPem) {
      this.caPem = caPem;
      this.caPemBytes = null;
      return this;
    }

    /** TLS trusting the CA certificates in these PEM bytes (e.g. an app resource). */
    public Builder trustedCa(byte[] caPem) {
      this.caPemBytes = caPem == null ? null : caPem.clone();
      this.caPem = null;
      return this;
    }

    /** How channels to members are opened; {@link Transport#classPath()} by default. */
    public Builder transport(Transport t) {
      this.transport = Objects.requireNonNull(t);
      return this;
    }

    public Builder plaintext() {
      this.plaintext = true;
      return this;
    }

    /**
     * The OPAQUE suite: its context must be the fleet's ({@code node.opaque-context}, {@code
     * bkv/v1} by default). {@link CipherSuite#standard()} by default: context {@code bkv/v1},
     * Argon2id with opaque-ke's parameters; {@code new CipherSuite(context, Argon2idKsf.of(m, t,
     * p))} for others. The KSF must stay the same for a user's whole life: a record registered
     * with one cannot be opened with another.
     */
    public Builder suite(CipherSuite s) {
      this.suite = Objects.requireNonNull(s);
      return this;
    }

    public Builder random(SecureRandom r) {
      this.rng = Objects.requireNonNull(r);
      return this;
    }

    public Builder callTimeout(Duration d) {
      this.callTimeout = d;
      return this;
    }

    public VaultClient build() throws IOException {
      if (endpoints.isEmpty() || trust == null || tenantTokens == null) {
        throw new IllegalStateException("a client needs at least one endpoint, a trust anchor "
            + "and tenant tokens");
      }
      if (caPem == null && caPemBytes == null && !plaintext) {
        throw new IllegalStateException("TLS is the default: give trustedCa(...), or plaintext()");
      }
      return new VaultClient(this, credentials());
    }

    private ChannelCredentials credentials() throws IOException {
      if (plaintext) {
        return InsecureChannelCredentials.create();
      }
      TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder();
      return (caPem != null ? tls.trustManager(caPem.toFile())
          : tls.trustManager(new ByteArrayInputStream(caPemBytes))).build();
    }
  }

  /**
   * Registers a 32-byte backup key; committed on a majority when this returns. Every retry of
   * this call carries the same random registration id, so a try that was stored but whose reply
   * was lost makes the retry succeed rather than fail with "already registered". If it throws
   * {@link UnavailableException} after trying every member, the registration may still have
   * been stored: a {@link #recover} with the same password tells.
   */
  public void register(byte[] user, byte[] password, SecretBytes backupKey)
      throws VaultClientException {
    if (backupKey.length() != SealedBackupKey.BACKUP_KEY_LENGTH) {
      throw new IllegalArgumentException("backup key is " + backupKey.length()
          + " bytes; expected 32");
    }
    byte[] registrationId = new byte[REGISTRATION_ID_LENGTH];
    rng.nextBytes(registrationId);
    ByteString id = ByteString.copyFrom(registrationId);
    withFailover(user, s -> {
      RegistrationFlow.Upload u = RegistrationFlow.prepare(s, suite, trust, password, backupKey,
          rng);
      return s.call(Rpc.REGISTER_FINISH, RegisterFinishRequest.newBuilder()
          .setSessionId(u.sessionId()).setRegistrationRecord(u.record())
          .setSealedKey(u.sealedKey()).setRegistrationId(id).setResetKey(u.resetKey()).build(),
          RegisterFinishResponse.parser());
    });
  }

  /** Recovers the backup key; a wrong password throws {@link WrongPasswordException}. */
  public SecretBytes recover(byte[] user, byte[] password) throws VaultClientException {
    return recoverWithAudit(user, password).backupKey();
  }

  /**
   * Like {@link #recover}, and also returns the record's audit trail (recent events). With a
   * {@linkplain Builder#previousFleet previous fleet}, a user not found here (a wrong password
   * and an absent record look the same) is tried there, and a record recovered there is moved
   * here before this returns (DESIGN §11): staged here, closed there, activated here with the
   * earlier fleet's closure receipts. If a step of the move fails the key is still returned, and
   * the next recover finishes the move.
   */
  public RecoveredKey recoverWithAudit(byte[] user, byte[] password) throws VaultClientException {
    if (previous == null) {
      return recoverHere(user, password);
    }
    try {
      return recoverHere(user, password);
    } catch (WrongPasswordException | UnavailableException notHere) {
      FleetMigration move = new FleetMigration(previous, this, user);
      try {
        return move.recoverAndMigrate(password);
      } catch (WrongPasswordException notThere) {
        if (notHere instanceof UnavailableException) {
          throw notHere;
        }
        // A move that stopped after the close leaves the record closed there and staged here.
        if (move.finish()) {
          return recoverHere(user, password);
        }
        throw notHere;
      }
    }
  }

  RecoveredKey recoverHere(byte[] user, byte[] password) throws VaultClientException {
    LoginFlow.Done d = withFailover(user, s -> LoginFlow.run(s, suite, trust, label(user),
        password, rng));
    d.bindingKey().destroy();
    return new RecoveredKey(d.backupKey(), d.audit());
  }

  /** Logs in with the password, then erases the user's record on every member. */
  public void delete(byte[] user, byte[] password) throws VaultClientException {
    withFailover(user, s -> {
      LoginFlow.Done d = LoginFlow.run(s, suite, trust, label(user), password, rng);
      d.backupKey().destroy();
      byte[] binding = LoginBinding.delete(d.bindingKey(), d.loginToken());
      d.bindingKey().destroy();
      return s.call(Rpc.DELETE, DeleteRequest.newBuilder()
          .setLoginToken(ByteString.copyFrom(d.loginToken()))
          .setBinding(ByteString.copyFrom(binding)).build(), DeleteResponse.parser());
    });
  }

  /**
   * Logs in with the old password and re-registers the same backup key under the new one. If a
   * try sent the change but lost the reply, the retry's login with the old password fails
   * because the change took effect; the client then logs in with the new password, and if that
   * succeeds (which also resets the attempt the retry cost) the change is reported as done.
   */
  public void changePassword(byte[] user, byte[] oldPassword, byte[] newPassword)
      throws VaultClientException {
    boolean[] sent = {false};
    try {
      withFailover(user, s -> {
        LoginFlow.Done d = LoginFlow.run(s, suite, trust, label(user), oldPassword, rng);
        try {
          RegistrationFlow.Upload u = RegistrationFlow.prepare(s, suite, trust, newPassword,
              d.backupKey(), rng);
          byte[] binding = LoginBinding.changePassword(d.bindingKey(), d.loginToken(),
              u.sessionId().toByteArray(), u.record().toByteArray(),
              u.sealedKey().toByteArray(), u.resetKey().toByteArray());
          sent[0] = true;
          return s.call(Rpc.CHANGE_PASSWORD, ChangePasswordRequest.newBuilder()
              .setLoginToken(ByteString.copyFrom(d.loginToken())).setSessionId(u.sessionId())
              .setRegistrationRecord(u.record()).setSealedKey(u.sealedKey())
              .setResetKey(u.resetKey()).setBinding(ByteString.copyFrom(binding)).build(),
              ChangePasswordResponse.parser());
        } finally {
          d.backupKey().destroy();
          d.bindingKey().destroy();
        }
      });
    } catch (WrongPasswordException e) {
      if (!sent[0]) {
        throw e;
      }
      try {
        recover(user, newPassword).destroy();
      } catch (WrongPasswordException notChanged) {
        throw e;
      }
    }
  }

  /** Status of the member at {@code index} (of the configured endpoints); {@code user} may be null. */
  public MemberStatus status(int index, byte[] user) throws VaultClientException {
    StatusRequest.Builder req = StatusRequest.newBuilder();
    if (user != null) {
      req.setUserId(ByteString.copyFrom(user));
    }
    try {
      StatusResponse s = stub(index).status(req.build());
      return new MemberStatus(s.getMemberId(), s.getFleetId(), s.getEpoch(),
          s.getFleetPublicKey().toByteArray(), s.getAttemptLimit(), s.getLoginEvaluations(),
          s.getShardLeadersMap());
    } catch (StatusRuntimeException e) {
      throw map(e, endpoints.get(index));
    }
  }

  interface Flow<T> {
    T run(FleetSession session) throws VaultClientException;
  }

  /** Runs {@code flow} against the member at {@code index} only (no failover). */
  <T> T atMember(int index, byte[] user, Flow<T> flow) throws VaultClientException {
    FleetSession session = new FleetSession(stub(index), trust.fleetKey(), user,
        tenantTokens.tokenFor(user), rng);
    try {
      return flow.run(session);
    } catch (StatusRuntimeException e) {
      throw map(e, endpoints.get(index));
    }
  }

  /** The previous fleet's client, or null. */
  VaultClient previous() {
    return previous;
  }

  int memberCount() {
    return endpoints.size();
  }

  CipherSuite suite() {
    return suite;
  }

  TrustAnchor trust() {
    return trust;
  }

  SecureRandom random() {
    return rng;
  }

  /**
   * Runs {@code flow} against one member after another until one serves it. The fleet key and
   * the tenant token are fetched once per try.
   */
  <T> T withFailover(byte[] user, Flow<T> flow) throws VaultClientException {
    Exception last = null;
    int start = preferred;
    for (int i = 0; i < endpoints.size(); i++) {
      int idx = (start + i) % endpoints.size();
      FleetSession session = new FleetSession(stub(idx), trust.fleetKey(), user,
          tenantTokens.tokenFor(user), rng);
      try {
        T t = flow.run(session);
        preferred = idx;
        return t;
      } catch (StatusRuntimeException e) {
        VaultClientException mapped = map(e, endpoints.get(idx));
        if (!(mapped instanceof UnavailableException)) {
          throw mapped;
        }
        last = e;
      } catch (UnavailableException e) {
        last = e;
      }
    }
    throw new UnavailableException("no member could serve the request (tried "
        + endpoints + "): " + (last == null ? "" : last.getMessage()), last);
  }

  private VaultBlockingStub stub(int idx) {
    return VaultGrpc.newBlockingStub(channels.get(idx))
        .withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * UNAVAILABLE, DEADLINE_EXCEEDED, and UNKNOWN raised by this side's transport (it carries a
   * local cause: gRPC reports a connection closed under a call, as when the member is killed,
   * as UNKNOWN) mean "try another member"; anything else is the member's answer.
   */
  static VaultClientException map(StatusRuntimeException e, Endpoint where) {
    Status.Code c = e.getStatus().getCode();
    String msg = where + ": " + c + (e.getStatus().getDescription() == null ? ""
        : " (" + e.getStatus().getDescription() + ")");
    if (c == Status.Code.UNAVAILABLE || c == Status.Code.DEADLINE_EXCEEDED
        || (c == Status.Code.UNKNOWN && e.getStatus().getCause() != null)) {
      return new UnavailableException(msg, e);
    }
    if (c == Status.Code.FAILED_PRECONDITION) {
      // The member could not read a request encrypted to the key this client trusts.
      return new UntrustedFleetException(where + ": the member cannot read requests for the "
          + "fleet key this client trusts: " + e.getStatus().getDescription(), e);
    }
    return new RejectedException(Rejection.of(c), c.name(), msg, e);
  }

  static String label(byte[] user) {
    return new String(user, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    for (ManagedChannel c : channels) {
      c.shutdownNow();
    }
    if (previous != null) {
      previous.close();
    }
  }
}
