package dev.bkv.node.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bkv.node.api.LoginBinding;
import dev.bkv.node.api.SessionBox;
import dev.bkv.node.api.ChannelError.Reason;
import dev.bkv.node.store.UserId;
import dev.bkv.node.store.UserState;
import dev.bkv.node.tenant.TenantConfig;
import dev.bkv.node.testing.LocalRecords;
import dev.bkv.opaque.CipherSuite;
import dev.bkv.opaque.ClientLogin;
import dev.bkv.opaque.ClientRegistration;
import dev.bkv.opaque.Identities;
import dev.bkv.opaque.Ke2;
import dev.bkv.opaque.Ksf;
import dev.bkv.opaque.RegistrationResponse;
import dev.bkv.opaque.SoftwareServerKeys;
import dev.bkv.recovery.SecretBytes;
import dev.bkv.seal.BackupKeySealer;
import dev.bkv.seal.ResetKey;
import dev.bkv.seal.SealedBackupKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import dev.bkv.evidence.ShareLayout;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.testing.SoftHsmTokens;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link VaultService} on {@link LocalRecords} (a real record store, no cluster) with software
 * server keys, a record key that binds user and epoch, a clock the test moves, recorded events
 * and hooks, and the client side of OPAQUE: what a unit test of the service needs.
 */
final class ServiceFixture implements AutoCloseable {
  static final int LIMIT = 10;
  static final long EPOCH = 7;
  static final long TTL_MS = 30_000;

  final SecureRandom rng = new SecureRandom();
  final SoftwareServerKeys keys = SoftwareServerKeys.generate(rng);
  final ServiceConfig config = new ServiceConfig("127.0.0.1", 0, "unit", EPOCH, LIMIT,
      ServiceConfig.DEFAULT_CONTEXT, null, null, true, TTL_MS, null, true,
      TenantConfig.withDefaults(Path.of("unused-tenant-keys.json"), "unit"));
  final CipherSuite suite = new CipherSuite(config.contextBytes(), Ksf.IDENTITY);
  final LocalRecords records;
  final TestClock clock = new TestClock();
  final EvaluationCounter evaluations = new EvaluationCounter();
  final List<ServiceEvent> events = new CopyOnWriteArrayList<>();
  final TestHooks hooks = new TestHooks();
  final VaultService service;

  final Pkcs11Token token;
  final UserOprf oprf;

  ServiceFixture() throws Exception {
    records = LocalRecords.open();
    token = Pkcs11Token.open(SoftHsmTokens.create("service"));
    ShareLayout solo = new ShareLayout("unit", List.of("m1"));
    DevFleetKeys.importShareKeys(token, solo, "m1", DevFleetKeys.Secrets.generate(rng));
    oprf = new FleetOprf(ShareKeys.open(token, solo, "m1"), (member, user, q) -> {
      throw new AssertionError("a one-member fleet asks no peer");
    });
    service = new VaultService(records, keys, oprf, new TestRecordKey(), config, clock, rng,
        evaluations, events::add, hooks);
  }

  static UserId user(String name) {
    return new UserId(name.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] password(String p) {
    return p.getBytes(StandardCharsets.UTF_8);
  }

  /** A client's registration up to RegisterFinish: what it would send. */
  record NewRecord(byte[] sessionId, byte[] record, byte[] sealedKey, SecretBytes backupKey,
      byte[] resetKey) {}

  NewRecord prepare(UserId user, String password) throws Exception {
    ClientRegistration reg = ClientRegistration.start(suite, password(password), rng);
    VaultService.RegisterStarted s = service.registerStart(user, reg.request().toBytes());
    ClientRegistration.Result r = reg.finish(RegistrationResponse.parse(
        s.registrationResponse()), Identities.NONE, rng);
    byte[] backup = new byte[SealedBackupKey.BACKUP_KEY_LENGTH];
    rng.nextBytes(backup);
    SecretBytes backupKey = SecretBytes.copyOf(backup);
    SealedBackupKey sealed = BackupKeySealer.seal(r.exportKey(), backupKey, rng);
    return new NewRecord(s.sessionId(), r.record().toBytes(), sealed.toBytes(), backupKey,
        ResetKey.fromExportKey(r.exportKey()).publicKey());
  }

  NewRecord register(UserId user, String password) throws Exception {
    NewRecord n = prepare(user, password);
    assertEquals(LIMIT, service.registerFinish(user, n.sessionId(), n.record(), n.sealedKey(),
        new byte[0], n.resetKey()));
    return n;
  }

  /** A login up to KE2: the client's state and the member's answer. */
  record Started(ClientLogin client, VaultService.RecoverStarted answer) {}

  /** Starts a login one millisecond after the previous request (the lockout is told by time). */
  Started start(UserId user, String password) throws Exception {
    clock.advance(1);
    ClientLogin login = ClientLogin.start(suite, password(password), rng);
    return new Started(login, service.recoverStart(user, login.ke1().toBytes()));
  }

  /** A completed login: the backup key, the login token and the binding key. */
  record LoggedIn(SecretBytes backupKey, byte[] token, SecretBytes bindingKey,
      VaultService.Recovered recovered) {}

  LoggedIn login(UserId user, String password) throws Exception {
    Started s = start(user, password);
    ClientLogin.Result r = s.client().finish(Ke2.parse(s.answer().ke2()), Identities.NONE);
    VaultService.Recovered rec = service.recoverFinish(user, s.answer().sessionId(),
        r.ke3().toBytes(), ResetKey.fromExportKey(r.exportKey()).sign(user.bytes(),
            s.answer().attemptIndex()));
    byte[] sealed = SessionBox.open(r.sessionKey(), rec.encryptedSealedKey());
    SecretBytes backup = BackupKeySealer.open(r.exportKey(), SealedBackupKey.parse(sealed));
    return new LoggedIn(backup, rec.loginToken(), LoginBinding.key(r.sessionKey()), rec);
  }

  UserState state(UserId user) throws Exception {
    return records.get(user);
  }

  UserState.Present present(UserId user) throws Exception {
    return (UserState.Present) records.get(user);
  }

  static ServiceException refused(Reason reason, Call call) {
    ServiceException e = assertThrows(ServiceException.class, call::run);
    assertEquals(reason, e.reason(), e.getMessage());
    return e;
  }

  interface Call {
    void run() throws Exception;
  }

  @Override
  public void close() throws Exception {
    token.close();
    records.close();
    evaluations.close();
  }

  /** A clock the test moves by hand. */
  static final class TestClock extends Clock {
    private volatile long millis = 1_700_000_000_000L;

    void advance(long ms) {
      millis += ms;
    }

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  /** Hooks that run a test's action at the injection points (none by default). */
  static final class TestHooks implements ServiceHooks {
    volatile Call afterAttempt = () -> { };
    volatile Call afterWrite = () -> { };

    @Override
    public void afterAttempt() {
      run(afterAttempt);
    }

    @Override
    public void afterWrite() {
      run(afterWrite);
    }

    private static void run(Call c) {
      try {
        c.run();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * A software record key: {@code epoch ‖ user ‖ sealed key}, reversed so it is not the plain
   * sealed key; {@link #open} refuses another user or epoch, as the HSM's AES-GCM does.
   */
  static final class TestRecordKey implements RecordKey {
    @Override
    public byte[] wrap(UserId user, long epoch, byte[] sealedKey) {
      byte[] id = user.bytes();
      byte[] out = ByteBuffer.allocate(8 + 1 + id.length + sealedKey.length).putLong(epoch)
          .put((byte) id.length).put(id).put(sealedKey).array();
      reverse(out);
      return out;
    }

    @Override
    public byte[] open(UserId user, long epoch, byte[] blob) throws ServiceException {
      byte[] b = blob.clone();
      reverse(b);
      byte[] expected = wrap(user, epoch, new byte[0]);
      reverse(expected);
      if (b.length < expected.length
          || !Arrays.equals(Arrays.copyOf(b, expected.length), expected)) {
        throw new ServiceException(Reason.FAULT, "blob is not for " + user + " at " + epoch);
      }
      return Arrays.copyOfRange(b, expected.length, b.length);
    }

    private static void reverse(byte[] b) {
      for (int i = 0, j = b.length - 1; i < j; i++, j--) {
        byte t = b[i];
        b[i] = b[j];
        b[j] = t;
      }
    }
  }
}
