package dev.bkv.node.service;

import static dev.bkv.node.service.ServiceFixture.LIMIT;
import static dev.bkv.node.service.ServiceFixture.password;
import static dev.bkv.node.service.ServiceFixture.refused;
import static dev.bkv.node.service.ServiceFixture.user;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.node.api.ChannelError.Reason;
import dev.bkv.node.service.ServiceFixture.NewRecord;
import dev.bkv.node.service.ServiceFixture.Started;
import dev.bkv.node.store.AuditEntry;
import dev.bkv.node.store.AuditEntry.Kind;
import dev.bkv.node.store.Command;
import dev.bkv.seal.ResetKey;
import dev.bkv.node.store.UserId;
import dev.bkv.node.store.UserState;
import dev.bkv.node.testing.LocalRecords.Fault;
import dev.bkv.opaque.ClientLogin;
import dev.bkv.opaque.ClientRegistration;
import dev.bkv.opaque.Identities;
import dev.bkv.opaque.Ke2;
import dev.bkv.opaque.Ke3;
import dev.bkv.opaque.RegistrationRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vault service's registration and login rules (vault-node README, "Vault API and
 * service") on a real record store without a cluster ({@link ServiceFixture}). Deletes and
 * password changes: {@link VaultServiceGrantsTest}.
 */
class VaultServiceTest {
  private ServiceFixture f;
  private final UserId alice = user("alice");

  @BeforeEach
  void setUp() throws Exception {
    f = new ServiceFixture();
  }

  @AfterEach
  void tearDown() throws Exception {
    f.close();
  }

  // ---- registration ----

  @Test
  void registrationStoresTheRecordWithNoAttemptsAndTheKeyWrappedByTheRecordKey()
      throws Exception {
    NewRecord n = f.register(alice, "pw");
    UserState.Present p = f.present(alice);
    assertEquals(0, p.record().attemptsUsed());
    assertEquals(LIMIT, p.record().attemptLimit());
    assertEquals(ServiceFixture.EPOCH, p.record().epoch());
    assertFalse(Arrays.equals(n.sealedKey(), p.record().sealedKey()), "stored wrapped");
    assertArrayEquals(n.sealedKey(), new ServiceFixture.TestRecordKey().open(alice,
        ServiceFixture.EPOCH, p.record().sealedKey()));
    StoredRecord stored = StoredRecord.parse(p.record().registrationRecord());
    assertArrayEquals(n.record(), stored.record().toBytes());
    assertEquals(List.of(Kind.REGISTER), kinds(p.audit()));
    assertEquals(List.of(ServiceEvent.REGISTRATION), f.events);
  }

  @Test
  void everyRegistrationEvaluatesUnderAFreshSalt() throws Exception {
    ClientRegistration reg = ClientRegistration.start(f.suite, password("pw"), f.rng);
    byte[] request = reg.request().toBytes();
    byte[] first = f.service.registerStart(alice, request).registrationResponse();
    byte[] second = f.service.registerStart(alice, request).registrationResponse();
    assertFalse(Arrays.equals(first, second), "same request, same user: another OPRF key");

    f.register(alice, "pw");
    byte[] salt = StoredRecord.parse(f.present(alice).record().registrationRecord()).salt();
    UserId bob = user("bob");
    f.register(bob, "pw");
    assertFalse(Arrays.equals(salt,
        StoredRecord.parse(f.present(bob).record().registrationRecord()).salt()));
  }

  @Test
  void aLiveRecordIsNotOverwritten() throws Exception {
    f.register(alice, "pw");
    long generation = f.present(alice).record().generation();
    NewRecord again = f.prepare(alice, "other");
    refused(Reason.EXISTS, () -> f.service.registerFinish(alice, again.sessionId(),
        again.record(), again.sealedKey(), new byte[0]));
    assertEquals(generation, f.present(alice).record().generation());
  }

  @Test
  void aRetryWithTheSameRegistrationIdIsAnsweredAsDoneAndChangesNothing() throws Exception {
    byte[] id = new byte[16];
    f.rng.nextBytes(id);
    NewRecord n = f.prepare(alice, "pw");
    assertEquals(LIMIT, f.service.registerFinish(alice, n.sessionId(), n.record(),
        n.sealedKey(), id));
    long generation = f.present(alice).record().generation();
    // The reply was lost; the client retries the same registration (new session, same id).
    NewRecord retry = f.prepare(alice, "pw");
    assertEquals(LIMIT, f.service.registerFinish(alice, retry.sessionId(), retry.record(),
        retry.sealedKey(), id));
    assertEquals(generation, f.present(alice).record().generation());
    assertEquals(List.of(ServiceEvent.REGISTRATION), f.events, "a retry is not counted");
    // Another registration id over the live record is refused.
    byte[] other = id.clone();
    other[0] ^= 1;
    NewRecord third = f.prepare(alice, "pw");
    refused(Reason.EXISTS, () -> f.service.registerFinish(alice, third.sessionId(),
        third.record(), third.sealedKey(), other));
  }

  @Test
  void aReplayedRegistrationIsDoneIfTheStoredRecordIsItsOwn() throws Exception {
    // A member restarted within the retry-cache expiry: applied before, answer unknown.
    f.records.failNext(Fault.REPLAYED);
    f.register(alice, "pw");
    f.login(alice, "pw");
    UserId bob = user("bob");
    f.register(bob, "pw");
    NewRecord n = f.prepare(bob, "new");
    f.records.failNext(Fault.REPLAYED);
    refused(Reason.EXISTS, () -> f.service.registerFinish(bob, n.sessionId(), n.record(),
        n.sealedKey(), new byte[0]));
  }

  @Test
  void aWriteWaitsForTheAfterWriteHookOnlyWhenItWroteTheRecord() throws Exception {
    AtomicLong calls = new AtomicLong();
    f.hooks.afterWrite = () -> {
      calls.incrementAndGet();
      assertInstanceOf(UserState.Present.class, f.state(alice), "written before the hook");
    };
    byte[] id = new byte[16];
    NewRecord n = f.prepare(alice, "pw");
    f.service.registerFinish(alice, n.sessionId(), n.record(), n.sealedKey(), id);
    NewRecord retry = f.prepare(alice, "pw");
    f.service.registerFinish(alice, retry.sessionId(), retry.record(), retry.sealedKey(), id);
    assertEquals(1, calls.get());
  }

  @Test
  void aRegistrationSessionIsForItsUserAndUsedOnce() throws Exception {
    NewRecord n = f.prepare(alice, "pw");
    refused(Reason.FORBIDDEN, () -> f.service.registerFinish(user("mallory"), n.sessionId(),
        n.record(), n.sealedKey(), new byte[0]));
    refused(Reason.NO_SESSION, () -> f.service.registerFinish(alice, n.sessionId(),
        n.record(), n.sealedKey(), new byte[0]));
    NewRecord m = f.prepare(alice, "pw");
    f.clock.advance(ServiceFixture.TTL_MS + 1);
    refused(Reason.NO_SESSION, () -> f.service.registerFinish(alice, m.sessionId(),
        m.record(), m.sealedKey(), new byte[0]));
    // Only the two registrations' Begins were committed, no record.
    assertTrue(f.records.log().stream().allMatch(c -> c instanceof Command.Begin),
        f.records.log().toString());
  }

  @Test
  void malformedRegistrationsAreRefusedBeforeAnythingIsCommitted() throws Exception {
    refused(Reason.BAD_REQUEST, () -> f.service.registerStart(alice, new byte[5]));
    NewRecord n = f.prepare(alice, "pw");
    byte[] none = new byte[0];
    refused(Reason.BAD_REQUEST, () -> f.service.registerFinish(alice, new byte[15],
        n.record(), n.sealedKey(), none));
    refused(Reason.BAD_REQUEST, () -> f.service.registerFinish(alice, n.sessionId(),
        Arrays.copyOf(n.record(), RegistrationRecord.LENGTH - 1), n.sealedKey(), none));
    refused(Reason.BAD_REQUEST, () -> f.service.registerFinish(alice, n.sessionId(),
        n.record(), Arrays.copyOf(n.sealedKey(), 3), none));
    refused(Reason.BAD_REQUEST, () -> f.service.registerFinish(alice, n.sessionId(),
        n.record(), n.sealedKey(), new byte[15]));
    // The malformed start committed nothing; the good one its Begin only.
    assertEquals(1, f.records.log().size());
    assertInstanceOf(Command.Begin.class, f.records.log().get(0));
    // None of these used the session up.
    assertEquals(LIMIT, f.service.registerFinish(alice, n.sessionId(), n.record(),
        n.sealedKey(), none));
  }

  @Test
  void anUnreachableFleetIsUnavailable() throws Exception {
    NewRecord n = f.prepare(alice, "pw");
    f.records.failNext(Fault.UNAVAILABLE);
    refused(Reason.UNAVAILABLE, () -> f.service.registerFinish(alice, n.sessionId(),
        n.record(), n.sealedKey(), new byte[0]));
    assertInstanceOf(UserState.Absent.class, f.state(alice));
  }

  // ---- login ----

  @Test
  void theAttemptIsCommittedBeforeTheEvaluation() throws Exception {
    f.register(alice, "pw");
    AtomicLong seen = new AtomicLong(-1);
    f.hooks.afterAttempt = () -> {
      assertEquals(1, f.present(alice).record().attemptsUsed(), "attempt durable first");
      assertEquals(0, f.evaluations.logins(alice), "no evaluation yet");
      seen.set(f.events.size());
    };
    Started s = f.start(alice, "pw");
    assertEquals(List.of(ServiceEvent.REGISTRATION, ServiceEvent.ATTEMPT_COMMITTED),
        f.events.subList(0, (int) seen.get()));
    assertEquals(ServiceEvent.EVALUATION, f.events.get(f.events.size() - 1));
    assertEquals(1, f.evaluations.logins(alice));
    assertEquals(LIMIT - 1, s.answer().attemptsLeft());
  }

  @Test
  void noEvaluationWithoutACommittedAttempt() throws Exception {
    f.register(alice, "pw");
    f.records.failNext(Fault.UNAVAILABLE);
    refused(Reason.UNAVAILABLE, () -> f.start(alice, "pw"));
    assertEquals(0, f.evaluations.logins(alice));
    assertFalse(f.events.contains(ServiceEvent.EVALUATION));
    assertEquals(0, f.present(alice).record().attemptsUsed());
  }

  @Test
  void wrongGuessesCountDownThenTheRecordIsDestroyedWithoutAnotherEvaluation()
      throws Exception {
    f.register(alice, "pw");
    for (int left = LIMIT - 1; left >= 0; left--) {
      Started s = f.start(alice, "wrong");
      assertFalse(s.answer().locked());
      assertEquals(left, s.answer().attemptsLeft());
    }
    assertEquals(LIMIT, f.evaluations.logins(alice));
    Started locked = f.start(alice, "pw");
    assertTrue(locked.answer().locked());
    assertNull(locked.answer().ke2());
    assertInstanceOf(UserState.Locked.class, f.state(alice), "record destroyed, tombstone kept");
    assertTrue(f.start(alice, "pw").answer().locked());
    assertEquals(LIMIT, f.evaluations.logins(alice), "a locked user costs no evaluation");
    assertEquals(1, count(ServiceEvent.LOCKOUT));
    assertEquals(1, count(ServiceEvent.REFUSED_LOCKED));
    assertEquals(LIMIT, count(ServiceEvent.EVALUATION));
    List<Kind> audit = kinds(f.state(alice).audit());
    assertEquals(Kind.LOCKOUT, audit.get(audit.size() - 2));
    assertEquals(Kind.REFUSED_LOCKED, audit.get(audit.size() - 1));
  }

  @Test
  void aLockedOutIdCanRegisterAgainAndKeepsItsTrail() throws Exception {
    f.register(alice, "pw");
    for (int i = 0; i <= LIMIT; i++) {
      f.start(alice, "wrong");
    }
    f.register(alice, "new");
    assertEquals(0, f.present(alice).record().attemptsUsed());
    assertTrue(kinds(f.state(alice).audit()).contains(Kind.LOCKOUT));
    f.login(alice, "new");
  }

  @Test
  void aSuccessResetsTheCountBoundToTheGenerationAndReturnsTheKeyAndTrail()
      throws Exception {
    NewRecord n = f.register(alice, "pw");
    f.start(alice, "wrong");
    f.start(alice, "wrong");
    ServiceFixture.LoggedIn in = f.login(alice, "pw");
    assertTrue(n.backupKey().equalsConstantTime(in.backupKey()));
    assertEquals(VaultService.LOGIN_TOKEN_LENGTH, in.token().length);
    assertEquals(0, f.present(alice).record().attemptsUsed());
    Command.Reset reset = (Command.Reset) f.records.log().get(f.records.log().size() - 1);
    assertEquals(f.present(alice).record().generation(), reset.expectedGeneration());
    assertEquals(List.of(Kind.REGISTER, Kind.ATTEMPT, Kind.ATTEMPT, Kind.ATTEMPT, Kind.SUCCESS),
        kinds(in.recovered().audit()));
    assertEquals(1, count(ServiceEvent.RECOVERY));
    assertEquals(LIMIT - 1, f.start(alice, "pw").answer().attemptsLeft());
  }

  @Test
  void aKe3ThatDoesNotVerifyFailsAndTheAttemptStaysCounted() throws Exception {
    f.register(alice, "pw");
    Started s = f.start(alice, "pw");
    byte[] forged = new byte[Ke3.LENGTH];
    refused(Reason.LOGIN_FAILED, () -> f.service.recoverFinish(alice, s.answer().sessionId(),
        forged));
    assertEquals(1, f.present(alice).record().attemptsUsed());
    assertEquals(1, count(ServiceEvent.WRONG_PASSWORD));
    assertEquals(0, f.records.count(Command.Reset.class, alice));
    // The session is used up: the right KE3 now finds nothing.
    ClientLogin.Result r = s.client().finish(Ke2.parse(s.answer().ke2()), Identities.NONE);
    refused(Reason.NO_SESSION, () -> f.service.recoverFinish(alice, s.answer().sessionId(),
        r.ke3().toBytes()));
  }

  @Test
  void anUnknownUserGetsAFakeKe2AndNothingIsStored() throws Exception {
    UserId ghost = user("ghost");
    Started s = f.start(ghost, "pw");
    assertFalse(s.answer().locked());
    assertEquals(LIMIT - 1, s.answer().attemptsLeft(), "what a fresh record would say");
    assertEquals(Ke2.LENGTH, s.answer().ke2().length);
    assertEquals(1, f.evaluations.logins(ghost));
    assertInstanceOf(UserState.Absent.class, f.state(ghost));
    assertTrue(f.state(ghost).audit().isEmpty());
    refused(Reason.LOGIN_FAILED, () -> f.service.recoverFinish(ghost, s.answer().sessionId(),
        new byte[Ke3.LENGTH]));
  }

  @Test
  void aLoginWhoseRecordChangedMeanwhileIsRefused() throws Exception {
    f.register(alice, "pw");
    Started s = f.start(alice, "pw");
    // Between KE2 and KE3 another client changes the password.
    ServiceFixture.LoggedIn other = f.login(alice, "pw");
    NewRecord n = f.prepare(alice, "new");
    f.service.changePassword(alice, other.token(), n.sessionId(), n.record(), n.sealedKey(),
        dev.bkv.node.api.LoginBinding.changePassword(other.bindingKey(), other.token(),
            n.sessionId(), n.record(), n.sealedKey()));
    ClientLogin.Result r = s.client().finish(Ke2.parse(s.answer().ke2()), Identities.NONE);
    refused(Reason.CHANGED, () -> f.service.recoverFinish(alice, s.answer().sessionId(),
        r.ke3().toBytes()));
    f.login(alice, "new");
  }

  @Test
  void aReplayedResetIsAcceptedOnlyIfTheRecordIsStillTheSame() throws Exception {
    f.register(alice, "pw");
    Started s = f.start(alice, "pw");
    ClientLogin.Result r = s.client().finish(Ke2.parse(s.answer().ke2()), Identities.NONE);
    f.records.failNext(Fault.REPLAYED);
    assertNotNull(f.service.recoverFinish(alice, s.answer().sessionId(), r.ke3().toBytes())
        .loginToken());
  }

  @Test
  void aReplayedAttemptReadsWhatItLeft() throws Exception {
    f.register(alice, "pw");
    f.records.failNext(Fault.REPLAYED);
    Started s = f.start(alice, "pw");
    assertEquals(LIMIT - 1, s.answer().attemptsLeft());
    for (int i = 0; i < LIMIT - 1; i++) {
      f.start(alice, "wrong");
    }
    f.records.failNext(Fault.REPLAYED);
    assertTrue(f.start(alice, "pw").answer().locked());
  }

  @Test
  void aLoginSessionIsForItsUserUsedOnceAndExpires() throws Exception {
    f.register(alice, "pw");
    Started s = f.start(alice, "pw");
    ClientLogin.Result r = s.client().finish(Ke2.parse(s.answer().ke2()), Identities.NONE);
    byte[] ke3 = r.ke3().toBytes();
    refused(Reason.FORBIDDEN, () -> f.service.recoverFinish(user("mallory"),
        s.answer().sessionId(), ke3));
    refused(Reason.NO_SESSION, () -> f.service.recoverFinish(alice, s.answer().sessionId(),
        ke3));

    Started late = f.start(alice, "pw");
    f.clock.advance(ServiceFixture.TTL_MS + 1);
    f.service.purgeExpired();
    assertEquals(1, count(ServiceEvent.LOGIN_UNFINISHED));
    ClientLogin.Result lr = late.client().finish(Ke2.parse(late.answer().ke2()),
        Identities.NONE);
    refused(Reason.NO_SESSION, () -> f.service.recoverFinish(alice, late.answer().sessionId(),
        lr.ke3().toBytes()));
  }

  @Test
  void malformedLoginsCostNoAttempt() throws Exception {
    f.register(alice, "pw");
    refused(Reason.BAD_REQUEST, () -> f.service.recoverStart(alice, new byte[97]));
    refused(Reason.BAD_REQUEST, () -> f.service.recoverStart(alice, null));
    Started s = f.start(alice, "pw");
    refused(Reason.BAD_REQUEST, () -> f.service.recoverFinish(alice, s.answer().sessionId(),
        new byte[Ke3.LENGTH - 1]));
    refused(Reason.BAD_REQUEST, () -> f.service.recoverFinish(alice, new byte[3],
        new byte[Ke3.LENGTH]));
    assertEquals(1, f.records.count(Command.Attempt.class, alice));
    refused(Reason.BAD_REQUEST, () -> VaultService.userId(new byte[0]));
  }

  @Test
  void theEvaluationLogNamesTheCommittedAttemptBeforeEachEvaluation(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("evaluations.log");
    EvaluationCounter logged = new EvaluationCounter(file);
    List<ServiceEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    VaultService svc = new VaultService(f.records, f.keys, f.oprf,
        new ServiceFixture.TestRecordKey(), f.config, f.clock, f.rng, logged, events::add,
        ServiceHooks.NONE);
    f.register(alice, "pw"); // begin at log index 1, record at 2
    String hex = java.util.HexFormat.of().formatHex(alice.bytes());
    ClientLogin wrong = ClientLogin.start(f.suite, password("wrong"), f.rng);
    svc.recoverStart(alice, wrong.ke1().toBytes()); // attempt at 3
    ClientLogin right = ClientLogin.start(f.suite, password("pw"), f.rng);
    VaultService.RecoverStarted s = svc.recoverStart(alice, right.ke1().toBytes()); // 4
    ClientLogin.Result r = right.finish(Ke2.parse(s.ke2()), Identities.NONE);
    svc.recoverFinish(alice, s.sessionId(), r.ke3().toBytes(), ResetKey.fromExportKey(
        r.exportKey()).sign(alice.bytes(), s.attemptIndex())); // reset at 5
    svc.recoverStart(user("ghost"), wrong.ke1().toBytes()); // attempt at 6, nothing stored
    assertEquals(List.of("login " + hex + " 3 1/10", "login " + hex + " 4 2/10",
        "success " + hex + " 5", "login " + java.util.HexFormat.of().formatHex(
            user("ghost").bytes()) + " 6 -"), Files.readAllLines(file));

    // A log that cannot be written: the login fails, and nothing is evaluated.
    logged.close();
    refused(Reason.FAULT, () -> svc.recoverStart(alice, wrong.ke1().toBytes()));
    assertEquals(3, events.stream().filter(ServiceEvent.EVALUATION::equals).count());
  }

  @Test
  void aFailingListenerNeverFailsARequest() throws Exception {
    VaultService noisy = new VaultService(f.records, f.keys, f.oprf,
        new ServiceFixture.TestRecordKey(), f.config, f.clock, f.rng, f.evaluations,
        e -> {
          throw new IllegalStateException("counter broken");
        }, ServiceHooks.NONE);
    ClientRegistration reg = ClientRegistration.start(f.suite, password("pw"), f.rng);
    assertNotNull(noisy.registerStart(alice, reg.request().toBytes()));
    assertNotNull(noisy.recoverStart(alice, ClientLogin.start(f.suite, password("pw"), f.rng)
        .ke1().toBytes()).ke2());
  }

  private long count(ServiceEvent e) {
    return f.events.stream().filter(e::equals).count();
  }

  static List<Kind> kinds(List<AuditEntry> audit) {
    return audit.stream().map(AuditEntry::kind).toList();
  }

  /**
   * A client without a reset key (an unmodified RFC 9807 client) recovers, but nothing resets its
   * record: each login spends an attempt. A signature from a bkv client resets it.
   */
  @Test
  void onlyTheResetKeysSignatureGivesAttemptsBack() throws Exception {
    NewRecord n = f.prepare(alice, "pw");
    assertEquals(ServiceFixture.LIMIT, f.service.registerFinish(alice, n.sessionId(), n.record(),
        n.sealedKey(), new byte[0]));
    for (int i = 1; i <= 2; i++) {
      ServiceFixture.Started s = f.start(alice, "pw");
      ClientLogin.Result r = s.client().finish(Ke2.parse(s.answer().ke2()), Identities.NONE);
      f.service.recoverFinish(alice, s.answer().sessionId(), r.ke3().toBytes());
      assertEquals(i, f.present(alice).record().attemptsUsed(), "no reset key: no reset");
    }
    NewRecord keyed = f.prepare(user("bob"), "pw");
    f.service.registerFinish(user("bob"), keyed.sessionId(), keyed.record(), keyed.sealedKey(),
        new byte[0], keyed.resetKey());
    ServiceFixture.Started s = f.start(user("bob"), "pw");
    ClientLogin.Result r = s.client().finish(Ke2.parse(s.answer().ke2()), Identities.NONE);
    // A signature by another key changes nothing; the record's own resets it.
    f.service.recoverFinish(user("bob"), s.answer().sessionId(), r.ke3().toBytes(),
        ResetKey.fromExportKey(dev.bkv.recovery.SecretBytes.copyOf(new byte[32]))
            .sign(user("bob").bytes(), s.answer().attemptIndex()));
    assertEquals(1, f.present(user("bob")).record().attemptsUsed());
    f.login(user("bob"), "pw");
    assertEquals(0, f.present(user("bob")).record().attemptsUsed());
    refused(Reason.BAD_REQUEST, () -> f.service.registerFinish(user("carol"), keyed.sessionId(),
        keyed.record(), keyed.sealedKey(), new byte[0], new byte[64]));
  }
}
