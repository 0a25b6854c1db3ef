package dev.bkv.node.service;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import dev.bkv.channel.ChannelInitiator;
import dev.bkv.channel.ChannelResponder;
import dev.bkv.client.ChannelCalls;
import dev.bkv.client.Endpoint;
import dev.bkv.client.RejectedException;
import dev.bkv.client.UntrustedFleetException;
import dev.bkv.client.VaultClient;
import dev.bkv.client.WrongPasswordException;
import dev.bkv.ec.P256;
import dev.bkv.ec.Scalar;
import dev.bkv.node.api.ChangePasswordRequest;
import dev.bkv.node.api.ChannelReply;
import dev.bkv.node.api.ChannelRequest;
import dev.bkv.node.api.ChannelResponse;
import dev.bkv.node.api.FleetChannel;
import dev.bkv.node.api.Locked;
import dev.bkv.node.api.LoginBinding;
import dev.bkv.node.api.RecoverFinishRequest;
import dev.bkv.node.api.RecoverStartRequest;
import dev.bkv.node.api.RecoverStartResponse;
import dev.bkv.node.api.RegisterStartResponse;
import dev.bkv.node.api.Tls;
import dev.bkv.node.api.VaultGrpc;
import dev.bkv.opaque.ClientLogin;
import dev.bkv.opaque.Identities;
import dev.bkv.opaque.Ke2;
import dev.bkv.opaque.SoftwareServerKeys;
import dev.bkv.recovery.SecretBytes;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * An impostor between the client and a real three-member fleet (DESIGN §9). It holds a member's
 * API TLS certificate and key (TLS is not what authenticates the fleet), echoes the real fleet
 * key, and may relay any call to a real member byte for byte. Whatever it answers itself — a
 * registration response under its own OPRF key, {@code locked}, a deleted or changed record —
 * the client refuses before it uploads anything or believes anything, and the real fleet's
 * records are untouched.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImpostorTest {
  private final SecureRandom rng = new SecureRandom();
  private final SoftwareServerKeys impostorKeys = SoftwareServerKeys.generate(rng);
  private VaultFleet fleet;
  private VaultClient honest;
  private ManagedChannel toM1;
  private Server server;
  private VaultClient victim;
  private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();

  /** What the impostor does with each method: relay it to m1, or answer it itself. */
  private final Map<String, MessageLite> answers = new ConcurrentHashMap<>();
  /** A request the impostor sends to m1 in place of the client's (same method). */
  private final Map<String, ChannelRequest> swaps = new ConcurrentHashMap<>();

  @BeforeAll
  void start() throws Exception {
    fleet = new VaultFleet("impostor");
    fleet.startAll();
    honest = fleet.client(fleet.ids());
    Endpoint m1 = fleet.endpoint("m1");
    toM1 = Grpc.newChannelBuilderForAddress(m1.host(), m1.port(), Tls.client(fleet.caPem()))
        .build();
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0),
        Tls.server(fleet.tlsCert("m1"), fleet.tlsKey("m1"), false))
        .addService(new Impostor()).build().start();
    victim = dev.bkv.client.VaultClient.builder()
        .endpoint(new Endpoint("127.0.0.1", server.getPort()))
        .trustAnchor(fleet.pinnedKey()).trustedCa(fleet.caPem())
        .tenantTokens(fleet.tenantTokens()).suite(VaultFleet.suite())
        .callTimeout(Duration.ofSeconds(20)).build();
  }

  @AfterEach
  void reset() {
    answers.clear();
    swaps.clear();
    seen.clear();
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {victim, honest}) {
      if (c != null) {
        c.close();
      }
    }
    if (server != null) {
      server.shutdownNow();
    }
    if (toM1 != null) {
      toM1.shutdownNow();
    }
    if (fleet != null) {
      fleet.close();
    }
  }

  private SecretBytes randomKey() {
    byte[] k = new byte[32];
    rng.nextBytes(k);
    return SecretBytes.copyOf(k);
  }

  private int seen(String method) {
    return seen.getOrDefault(method, new AtomicInteger()).get();
  }

  @Test
  void registrationThroughAnImpostorUploadsNothing() throws Exception {
    byte[] user = "reg-victim".getBytes(UTF_8);
    answers.put("RegisterStart", RegisterStartResponse.newBuilder()
        .setRegistrationResponse(ByteString.copyFrom(impostorRegistrationResponse()))
        .setSessionId(ByteString.copyFrom(new byte[16])).build());
    UntrustedFleetException e = assertThrows(UntrustedFleetException.class,
        () -> victim.register(user, "secret".getBytes(UTF_8), randomKey()));
    assertTrue(e.getMessage().contains("RegisterStart: the answer was not written by the holder "
        + "of the trusted fleet key"), e.getMessage());
    assertEquals(1, seen("RegisterStart"));
    assertEquals(0, seen("RegisterFinish"), "no record or sealed key was uploaded");
    // Nothing was stored at the real fleet either: the id is still free.
    SecretBytes key = randomKey();
    honest.register(user, "secret".getBytes(UTF_8), key);
    assertTrue(key.equalsConstantTime(honest.recover(user, "secret".getBytes(UTF_8))));
  }

  @Test
  void aForgedLockedAnswerIsNotBelieved() throws Exception {
    byte[] user = "lock-victim".getBytes(UTF_8);
    SecretBytes key = randomKey();
    honest.register(user, "pw".getBytes(UTF_8), key);
    answers.put("RecoverStart", RecoverStartResponse.newBuilder()
        .setLocked(Locked.getDefaultInstance()).build());
    UntrustedFleetException e = assertThrows(UntrustedFleetException.class,
        () -> victim.recover(user, "pw".getBytes(UTF_8)));
    assertTrue(e.getMessage().contains("RecoverStart"), e.getMessage());
    assertTrue(key.equalsConstantTime(honest.recover(user, "pw".getBytes(UTF_8))),
        "the record is alive");
  }

  @Test
  void aRelayThatAnswersTheReRegistrationItselfGetsNoRecord() throws Exception {
    byte[] user = "change-victim".getBytes(UTF_8);
    SecretBytes key = randomKey();
    honest.register(user, "old".getBytes(UTF_8), key);
    // The real login passes through; the registration of the new password is the impostor's.
    answers.put("RegisterStart", RegisterStartResponse.newBuilder()
        .setRegistrationResponse(ByteString.copyFrom(impostorRegistrationResponse()))
        .setSessionId(ByteString.copyFrom(new byte[16])).build());
    assertThrows(UntrustedFleetException.class,
        () -> victim.changePassword(user, "old".getBytes(UTF_8), "new".getBytes(UTF_8)));
    assertEquals(1, seen("RecoverFinish"), "the real login was relayed");
    assertEquals(0, seen("ChangePassword"), "the new record was never sent");
    assertTrue(key.equalsConstantTime(honest.recover(user, "old".getBytes(UTF_8))));
    assertThrows(WrongPasswordException.class,
        () -> honest.recover(user, "new".getBytes(UTF_8)));
  }

  @Test
  void aRelayThatSwapsThePasswordChangeChangesNothing() throws Exception {
    byte[] user = "swap-victim".getBytes(UTF_8);
    SecretBytes key = randomKey();
    honest.register(user, "old".getBytes(UTF_8), key);
    // The relay forwards the login and the new registration, then sends m1 its own password
    // change for the user instead of the client's: it cannot read the login token or make the
    // login binding, so m1 refuses, and the client refuses m1's answer to a request it did not
    // make.
    swaps.put("ChangePassword", attackerChangePassword(user));
    assertThrows(UntrustedFleetException.class,
        () -> victim.changePassword(user, "old".getBytes(UTF_8), "new".getBytes(UTF_8)));
    assertEquals(1, seen("ChangePassword"));
    assertTrue(key.equalsConstantTime(honest.recover(user, "old".getBytes(UTF_8))));
    assertThrows(WrongPasswordException.class,
        () -> honest.recover(user, "new".getBytes(UTF_8)));
  }

  @Test
  void deleteThroughARelayIsNotReportedAndDeletesNothing() throws Exception {
    byte[] user = "delete-victim".getBytes(UTF_8);
    SecretBytes key = randomKey();
    honest.register(user, "pw".getBytes(UTF_8), key);
    answers.put("Delete", dev.bkv.node.api.DeleteResponse.getDefaultInstance());
    assertThrows(UntrustedFleetException.class,
        () -> victim.delete(user, "pw".getBytes(UTF_8)));
    assertEquals(1, seen("RecoverFinish"));
    assertTrue(key.equalsConstantTime(honest.recover(user, "pw".getBytes(UTF_8))),
        "the record is alive");
  }

  /**
   * Someone who has a login token (say, from a leaked log) but not the login's session key
   * cannot use it: the binding does not verify, the token is spent, nothing is committed.
   */
  @Test
  void aLoginTokenWithoutItsBindingIsRefused() throws Exception {
    byte[] user = "binding-victim".getBytes(UTF_8);
    SecretBytes key = randomKey();
    honest.register(user, "pw".getBytes(UTF_8), key);
    ChannelCalls calls = fleet.calls(toM1);
    ClientLogin login = ClientLogin.start(VaultFleet.suite(), "pw".getBytes(UTF_8), rng);
    RecoverStartResponse r = calls.recoverStart(user, RecoverStartRequest.newBuilder()
        .setKe1(ByteString.copyFrom(login.ke1().toBytes())).build());
    ClientLogin.Result res = login.finish(Ke2.parse(r.getKe2().getKe2().toByteArray()),
        Identities.NONE);
    byte[] token = calls.recoverFinish(user, RecoverFinishRequest.newBuilder()
        .setSessionId(r.getKe2().getSessionId()).setKe3(ByteString.copyFrom(res.ke3().toBytes()))
        .build()).getLoginToken().toByteArray();
    SecretBytes wrongKey = randomKey();
    RejectedException e = assertThrows(RejectedException.class, () -> calls.delete(user,
        dev.bkv.node.api.DeleteRequest.newBuilder().setLoginToken(ByteString.copyFrom(token))
            .setBinding(ByteString.copyFrom(LoginBinding.delete(wrongKey, token))).build()));
    assertEquals("UNAUTHENTICATED", e.code());
    assertTrue(e.getMessage().contains("login binding does not verify"), e.getMessage());
    // The token is spent even with the right binding now.
    SecretBytes bindingKey = LoginBinding.key(res.sessionKey());
    RejectedException spent = assertThrows(RejectedException.class, () -> calls.delete(user,
        dev.bkv.node.api.DeleteRequest.newBuilder().setLoginToken(ByteString.copyFrom(token))
            .setBinding(ByteString.copyFrom(LoginBinding.delete(bindingKey, token))).build()));
    assertEquals("NOT_FOUND", spent.code());
    assertTrue(key.equalsConstantTime(honest.recover(user, "pw".getBytes(UTF_8))));
  }

  /** A registration response under the impostor's OPRF key that names the real fleet key. */
  private byte[] impostorRegistrationResponse() throws Exception {
    byte[] evaluated = P256.multiplyGenerator(Scalar.random(rng)).toCompressed();
    byte[] out = new byte[66];
    System.arraycopy(evaluated, 0, out, 0, 33);
    System.arraycopy(fleet.pinnedKey().fleetKey().toCompressed(), 0, out, 33, 33);
    return out;
  }

  /** The attacker's own ChangePassword for {@code user}, encrypted to the real fleet key. */
  private ChannelRequest attackerChangePassword(byte[] user) throws Exception {
    String token = fleet.tenantTokens().tokenFor(user);
    ChangePasswordRequest inner = ChangePasswordRequest.newBuilder()
        .setLoginToken(ByteString.copyFrom(new byte[32]))
        .setSessionId(ByteString.copyFrom(new byte[16]))
        .setRegistrationRecord(ByteString.copyFrom(new byte[129]))
        .setSealedKey(ByteString.copyFrom(new byte[61]))
        .setBinding(ByteString.copyFrom(new byte[32])).build();
    ChannelInitiator init = ChannelInitiator.start(fleet.pinnedKey().fleetKey(),
        FleetChannel.prologue("ChangePassword", user, token), inner.toByteArray(), rng);
    return ChannelRequest.newBuilder().setTenantToken(token)
        .setUserId(ByteString.copyFrom(user)).setHandshake(ByteString.copyFrom(init.message()))
        .build();
  }

  /**
   * The impostor: relays each call to m1 unless told to answer it ({@link #answers}) — with a
   * channel reply it made under its own key, the best it can do — or to swap it ({@link
   * #swaps}).
   */
  private final class Impostor extends VaultGrpc.VaultImplBase {
    private void handle(String method, ChannelRequest req, StreamObserver<ChannelResponse> out) {
      seen.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
      try {
        MessageLite answer = answers.get(method);
        if (answer != null) {
          out.onNext(ownAnswer(method, req, answer));
        } else {
          ChannelRequest sent = swaps.getOrDefault(method, req);
          var stub = VaultGrpc.newBlockingStub(toM1);
          out.onNext(switch (method) {
            case "RegisterStart" -> stub.registerStart(sent);
            case "RegisterFinish" -> stub.registerFinish(sent);
            case "RecoverStart" -> stub.recoverStart(sent);
            case "RecoverFinish" -> stub.recoverFinish(sent);
            case "Delete" -> stub.delete(sent);
            case "ChangePassword" -> stub.changePassword(sent);
            default -> throw new IllegalArgumentException(method);
          });
        }
        out.onCompleted();
      } catch (Exception e) {
        out.onError(e);
      }
    }

    /** A well-formed channel reply, made by running both ends under the impostor's key. */
    private ChannelResponse ownAnswer(String method, ChannelRequest req, MessageLite answer)
        throws Exception {
      byte[] prologue = FleetChannel.prologue(method, req.getUserId().toByteArray(),
          req.getTenantToken());
      ChannelInitiator own = ChannelInitiator.start(impostorKeys.serverPublicKey(), prologue,
          new byte[0], rng);
      ChannelResponder r = ChannelResponder.accept(impostorKeys::staticX,
          impostorKeys.serverPublicKey(), prologue, own.message());
      byte[] reply = ChannelReply.newBuilder().setMessage(answer.toByteString()).build()
          .toByteArray();
      return ChannelResponse.newBuilder()
          .setHandshake(ByteString.copyFrom(r.respond(reply, rng))).build();
    }

    @Override
    public void registerStart(ChannelRequest req, StreamObserver<ChannelResponse> out) {
      handle("RegisterStart", req, out);
    }

    @Override
    public void registerFinish(ChannelRequest req, StreamObserver<ChannelResponse> out) {
      handle("RegisterFinish", req, out);
    }

    @Override
    public void recoverStart(ChannelRequest req, StreamObserver<ChannelResponse> out) {
      handle("RecoverStart", req, out);
    }

    @Override
    public void recoverFinish(ChannelRequest req, StreamObserver<ChannelResponse> out) {
      handle("RecoverFinish", req, out);
    }

    @Override
    public void delete(ChannelRequest req, StreamObserver<ChannelResponse> out) {
      handle("Delete", req, out);
    }

    @Override
    public void changePassword(ChannelRequest req, StreamObserver<ChannelResponse> out) {
      handle("ChangePassword", req, out);
    }
  }
}
