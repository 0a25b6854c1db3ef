package dev.bkv.node.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.bkv.node.store.AuditEntry.Kind;
import dev.bkv.node.store.Outcome.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordStoreTest {
  private static final UserId BOB = new UserId("bob".getBytes(StandardCharsets.UTF_8));
  private static final byte[] REC = {1, 2, 3};
  private static final byte[] KEY = {7, 7};

  @TempDir Path dir;
  private RecordStore store;
  private long index;

  @BeforeEach
  void open() throws Exception {
    store = RecordStore.open(dir.resolve("db"), 8);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private Outcome apply(Command c) throws StoreException {
    return store.apply(c, 1, ++index);
  }

  private Outcome register(int limit) throws StoreException {
    return apply(new Command.Register(BOB, 100, 2, limit, REC, KEY, new byte[0]));
  }

  @Test
  void registerThenAttemptsCountUpToTheLimitThenLockout() throws Exception {
    Outcome reg = register(3);
    assertEquals(Status.OK, reg.status());
    long gen = reg.record().orElseThrow().generation();
    assertEquals(index, gen);
    for (int i = 1; i <= 3; i++) {
      Outcome o = apply(new Command.Attempt(BOB, 100 + i));
      assertEquals(Status.OK, o.status());
      assertEquals(i, o.record().orElseThrow().attemptsUsed());
      assertEquals(3 - i, o.record().orElseThrow().attemptsLeft());
      assertArrayEquals(REC, o.record().orElseThrow().registrationRecord());
    }
    assertEquals(Status.LOCKED, apply(new Command.Attempt(BOB, 200)).status());
    UserState s = store.get(BOB);
    UserState.Locked locked = assertInstanceOf(UserState.Locked.class, s);
    assertEquals(200, locked.lockedAt());
    assertEquals(Status.LOCKED, apply(new Command.Attempt(BOB, 201)).status());
    assertEquals(Status.LOCKED, apply(new Command.Reset(BOB, 202, gen)).status());
    assertEquals(List.of(Kind.REGISTER, Kind.ATTEMPT, Kind.ATTEMPT, Kind.ATTEMPT, Kind.LOCKOUT,
        Kind.REFUSED_LOCKED), store.get(BOB).audit().stream().map(AuditEntry::kind).toList());
  }

  @Test
  void unknownUserAnswersUnknownAndStoresNothing() throws Exception {
    assertEquals(Status.UNKNOWN, apply(new Command.Attempt(BOB, 1)).status());
    assertEquals(Status.UNKNOWN, apply(new Command.Reset(BOB, 1, 1)).status());
    assertEquals(Status.UNKNOWN, apply(new Command.Delete(BOB, 1, 1)).status());
    assertInstanceOf(UserState.Absent.class, store.get(BOB));
    assertEquals(index, store.applied().index());
  }

  @Test
  void resetNeedsTheLoggedInGeneration() throws Exception {
    long gen = register(10).record().orElseThrow().generation();
    apply(new Command.Attempt(BOB, 101));
    apply(new Command.Attempt(BOB, 102));
    assertEquals(Status.CONFLICT, apply(new Command.Reset(BOB, 103, gen + 1)).status());
    assertEquals(2, present().attemptsUsed());
    Outcome o = apply(new Command.Reset(BOB, 104, gen));
    assertEquals(Status.OK, o.status());
    assertEquals(0, present().attemptsUsed());
    assertEquals(104, present().updatedAt());
    AuditEntry last = last();
    assertEquals(new AuditEntry(Kind.SUCCESS, 104, 2, 10), last);
  }

  @Test
  void registerDoesNotOverwriteButReplaceDoes() throws Exception {
    long gen = register(10).record().orElseThrow().generation();
    apply(new Command.Attempt(BOB, 101));
    assertEquals(Status.EXISTS, register(5).status());
    assertEquals(10, present().attemptLimit());
    byte[] rec2 = {9, 9, 9};
    assertEquals(Status.CONFLICT,
        apply(new Command.Replace(BOB, 110, gen + 5, 3, 5, rec2, KEY)).status());
    Outcome o = apply(new Command.Replace(BOB, 111, gen, 3, 5, rec2, KEY));
    assertEquals(Status.OK, o.status());
    UserRecord r = present();
    assertArrayEquals(rec2, r.registrationRecord());
    assertEquals(0, r.attemptsUsed());
    assertEquals(5, r.attemptLimit());
    assertEquals(3, r.epoch());
    assertEquals(index, r.generation());
    assertEquals(100, r.createdAt());
    assertEquals(111, r.updatedAt());
    assertEquals(Kind.PASSWORD_CHANGE, last().kind());
    // a reset bound to the old generation no longer applies
    assertEquals(Status.CONFLICT, apply(new Command.Reset(BOB, 112, gen)).status());
  }

  @Test
  void registerAfterLockoutStartsFreshAndKeepsTheTrail() throws Exception {
    register(1);
    apply(new Command.Attempt(BOB, 101));
    assertEquals(Status.LOCKED, apply(new Command.Attempt(BOB, 102)).status());
    assertEquals(Status.OK, register(10).status());
    assertEquals(0, present().attemptsUsed());
    assertEquals(List.of(Kind.REGISTER, Kind.ATTEMPT, Kind.LOCKOUT, Kind.REGISTER),
        store.get(BOB).audit().stream().map(AuditEntry::kind).toList());
  }

  @Test
  void deleteNeedsTheGenerationAndErasesEverything() throws Exception {
    long gen = register(10).record().orElseThrow().generation();
    assertEquals(Status.CONFLICT, apply(new Command.Delete(BOB, 101, gen + 1)).status());
    assertInstanceOf(UserState.Present.class, store.get(BOB));
    assertEquals(Status.OK, apply(new Command.Delete(BOB, 102, gen)).status());
    assertInstanceOf(UserState.Absent.class, store.get(BOB));
    assertEquals(Status.UNKNOWN, apply(new Command.Attempt(BOB, 103)).status());
  }

  @Test
  void aDeleteKeepsATrailThatRecordsALockoutForTheNextOwner() throws Exception {
    register(1);
    apply(new Command.Attempt(BOB, 101));
    assertEquals(Status.LOCKED, apply(new Command.Attempt(BOB, 102)).status());
    // Someone registers the id after the lockout, and deletes the record.
    long squatter = register(10).record().orElseThrow().generation();
    assertEquals(Status.OK, apply(new Command.Delete(BOB, 103, squatter)).status());
    UserState.Absent gone = assertInstanceOf(UserState.Absent.class, store.get(BOB));
    assertEquals(List.of(Kind.REGISTER, Kind.ATTEMPT, Kind.LOCKOUT, Kind.REGISTER, Kind.DELETE),
        kinds());
    assertEquals(new AuditEntry(Kind.DELETE, 103, 0, 10), gone.audit().get(4));
    assertEquals(Status.UNKNOWN, apply(new Command.Attempt(BOB, 104)).status());
    assertEquals(5, store.get(BOB).audit().size(), "a guess at an absent user adds nothing");
    // The owner registers again and sees who guessed, after a reopen too.
    long owner = register(10).record().orElseThrow().generation();
    store.close();
    store = RecordStore.open(dir.resolve("db"), 8);
    assertEquals(List.of(Kind.REGISTER, Kind.ATTEMPT, Kind.LOCKOUT, Kind.REGISTER, Kind.DELETE,
        Kind.REGISTER), kinds());
    assertEquals(new AuditEntry(Kind.LOCKOUT, 102, 2, 1), store.get(BOB).audit().get(2));
    // Deleting again keeps it again.
    assertEquals(Status.OK, apply(new Command.Delete(BOB, 105, owner)).status());
    assertEquals(Kind.DELETE, last().kind());
  }

  @Test
  void lockoutEvidenceOutlivesAFullTrail() throws Exception {
    register(1);
    apply(new Command.Attempt(BOB, 101));
    apply(new Command.Attempt(BOB, 102)); // LOCKOUT
    long gen = register(100).record().orElseThrow().generation();
    for (int i = 1; i <= 20; i++) {
      apply(new Command.Attempt(BOB, 1000 + i));
    }
    assertEquals(8, store.get(BOB).audit().size());
    assertEquals(new AuditEntry(Kind.LOCKOUT, 102, 2, 1), store.get(BOB).audit().get(0));
    assertEquals(new AuditEntry(Kind.ATTEMPT, 1020, 20, 100), last());
    apply(new Command.Delete(BOB, 2000, gen));
    assertEquals(List.of(Kind.LOCKOUT, Kind.ATTEMPT, Kind.ATTEMPT, Kind.ATTEMPT, Kind.ATTEMPT,
        Kind.ATTEMPT, Kind.ATTEMPT, Kind.DELETE), kinds());
  }

  @Test
  void aDeleteWithoutALockoutLeavesNothingStored() throws Exception {
    long gen = register(10).record().orElseThrow().generation();
    apply(new Command.Attempt(BOB, 101));
    assertEquals(Status.OK, apply(new Command.Delete(BOB, 102, gen)).status());
    assertEquals(new UserState.Absent(), store.get(BOB));
    assertEquals(Status.OK, register(10).status());
    assertEquals(List.of(Kind.REGISTER), kinds());
  }

  private List<Kind> kinds() throws StoreException {
    return store.get(BOB).audit().stream().map(AuditEntry::kind).toList();
  }

  @Test
  void auditTrailKeepsOnlyTheLastEntries() throws Exception {
    register(100);
    for (int i = 1; i <= 20; i++) {
      apply(new Command.Attempt(BOB, 1000 + i));
    }
    List<AuditEntry> audit = store.get(BOB).audit();
    assertEquals(8, audit.size());
    assertEquals(new AuditEntry(Kind.ATTEMPT, 1013, 13, 100), audit.get(0));
    assertEquals(new AuditEntry(Kind.ATTEMPT, 1020, 20, 100), audit.get(7));
  }

  @Test
  void replayOfAnAppliedIndexChangesNothingEvenAfterReopen() throws Exception {
    register(10);
    Outcome first = store.apply(new Command.Attempt(BOB, 101), 2, 50);
    assertEquals(1, first.record().orElseThrow().attemptsUsed());
    assertEquals(Status.REPLAYED, store.apply(new Command.Attempt(BOB, 101), 2, 50).status());
    assertEquals(Status.REPLAYED, store.apply(new Command.Attempt(BOB, 99), 2, 49).status());
    store.close();
    store = RecordStore.open(dir.resolve("db"), 8);
    assertEquals(new RecordStore.Applied(2, 50), store.applied());
    assertEquals(Status.REPLAYED, store.apply(new Command.Attempt(BOB, 101), 2, 50).status());
    assertEquals(1, present().attemptsUsed());
    assertEquals(2, store.apply(new Command.Attempt(BOB, 102), 2, 51).record().orElseThrow()
        .attemptsUsed());
  }

  @Test
  void checkpointIsAConsistentCopy() throws Exception {
    register(10);
    apply(new Command.Attempt(BOB, 101));
    store.checkpoint(dir.resolve("cp"));
    apply(new Command.Attempt(BOB, 102));
    try (RecordStore copy = RecordStore.open(dir.resolve("cp"), 8)) {
      assertEquals(index - 1, copy.applied().index());
      UserState.Present p = assertInstanceOf(UserState.Present.class, copy.get(BOB));
      assertEquals(1, p.record().attemptsUsed());
    }
  }

  private UserRecord present() throws StoreException {
    return assertInstanceOf(UserState.Present.class, store.get(BOB)).record();
  }

  private AuditEntry last() throws StoreException {
    List<AuditEntry> a = store.get(BOB).audit();
    return a.get(a.size() - 1);
  }

  @Test
  void aRegisterRetriedWithTheSameIdIsAnsweredOkAndChangesNothing() throws Exception {
    byte[] id = new byte[16];
    id[0] = 1;
    Outcome first = apply(new Command.Register(BOB, 100, 2, 10, REC, KEY, id));
    assertEquals(Status.OK, first.status());
    UserState stored = store.get(BOB);
    byte[] otherRecord = {9, 9, 9};
    Outcome retry = apply(new Command.Register(BOB, 101, 2, 10, otherRecord, KEY, id));
    assertEquals(Status.OK, retry.status());
    assertEquals(first.record(), retry.record(), "the retry answers with the stored record");
    assertEquals(stored, store.get(BOB), "the retry changed the stored state");

    byte[] otherId = id.clone();
    otherId[15] = 1;
    assertEquals(Status.EXISTS,
        apply(new Command.Register(BOB, 102, 2, 10, otherRecord, KEY, otherId)).status());
    assertEquals(Status.EXISTS,
        apply(new Command.Register(BOB, 103, 2, 10, otherRecord, KEY, new byte[0])).status());
    assertEquals(stored, store.get(BOB));
  }

  @Test
  void aPasswordChangeClearsTheRegistrationId() throws Exception {
    byte[] id = new byte[16];
    id[0] = 2;
    long gen = apply(new Command.Register(BOB, 100, 2, 10, REC, KEY, id)).record().orElseThrow()
        .generation();
    assertEquals(Status.OK, apply(new Command.Replace(BOB, 101, gen, 2, 10, new byte[] {4},
        KEY)).status());
    assertEquals(Status.EXISTS,
        apply(new Command.Register(BOB, 102, 2, 10, REC, KEY, id)).status(),
        "a retry of the first registration must not pass for the replaced record");
  }
}
