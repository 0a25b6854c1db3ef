package dev.bkv.node.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.node.store.Outcome.Status;
import dev.bkv.recovery.SecretBytes;
import dev.bkv.seal.ResetKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's rules for per-user OPRF key shares (DESIGN §10): begin, complete, never reuse. */
class KeyShareRulesTest {
  private static final UserId BOB = new UserId("bob".getBytes(StandardCharsets.UTF_8));
  private static final UserId EVE = new UserId("eve".getBytes(StandardCharsets.UTF_8));
  private static final byte[] REC = {1, 2, 3};
  private static final byte[] KEY = {7, 7};
  private static final byte[] ID = new byte[16];
  private static final byte[] ELEMENT = element(1);

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

  private static byte[] element(int b) {
    byte[] e = new byte[32];
    Arrays.fill(e, (byte) b);
    return e;
  }

  private Outcome apply(Command c) throws StoreException {
    return store.apply(c, 1, ++index);
  }

  private long begin(UserId user, KeyShares shares) throws StoreException {
    assertEquals(Status.OK, apply(new Command.Begin(user, 50, ELEMENT, shares)).status());
    return index;
  }

  private Outcome register(UserId user, long begin) throws StoreException {
    return apply(new Command.Register(user, 100, 2, 3, REC, KEY, ID, begin));
  }

  @Test
  void aRegistrationTakesTheSharesOfTheBeginItNamesAndClearsIt() throws Exception {
    KeyShares shares = KeySharesTest.shares(3, 1);
    long b = begin(BOB, shares);
    PendingRegistration p = store.pending(BOB).orElseThrow();
    assertEquals(b, p.index());
    assertArrayEquals(ELEMENT, p.element());
    Outcome o = register(BOB, b);
    assertEquals(Status.OK, o.status());
    assertEquals(shares, o.record().orElseThrow().shares());
    assertFalse(store.pending(BOB).isPresent());
    // A retry of the same registration id is answered as done.
    assertEquals(Status.OK, register(BOB, b).status());
  }

  @Test
  void aRegistrationNamingAnotherBeginIsRefusedAndStoresNothing() throws Exception {
    long first = begin(BOB, KeySharesTest.shares(3, 1));
    long second = begin(BOB, KeySharesTest.shares(3, 2));
    assertEquals(Status.CONFLICT, register(BOB, first).status(), "superseded begin");
    assertEquals(Status.CONFLICT, register(BOB, second + 100).status(), "never begun");
    assertInstanceOf(UserState.Absent.class, store.get(BOB));
    long eveBegin = begin(EVE, KeySharesTest.shares(3, 3));
    assertEquals(Status.CONFLICT, register(BOB, eveBegin).status(), "another user's begin");
    assertEquals(Status.OK, register(BOB, second).status());
  }

  /** A share committed once, by anyone, can never be committed again (no splicing). */
  @Test
  void aShareIsUsedOnceEverAcrossUsersAndRestarts() throws Exception {
    KeyShares eves = KeySharesTest.shares(3, 4);
    long b = begin(EVE, eves);
    assertEquals(Status.OK, register(EVE, b).status());
    KeyShares.Share evesShare = eves.shares().get(0);
    KeyShares spliced = new KeyShares(List.of(new KeyShares.Share("m1", evesShare.publicKey(),
        evesShare.wrapped()), KeySharesTest.shares(3, 5).shares().get(1)));
    assertEquals(Status.REUSED, apply(new Command.Begin(BOB, 60, ELEMENT, spliced)).status());
    assertFalse(store.pending(BOB).isPresent());
    store.close();
    store = RecordStore.open(dir.resolve("db"), 8);
    assertEquals(Status.REUSED, apply(new Command.Begin(BOB, 61, ELEMENT, eves)).status());
    // Even a begin that never completed spends its shares.
    KeyShares abandoned = KeySharesTest.shares(3, 6);
    begin(BOB, abandoned);
    assertEquals(Status.REUSED, apply(new Command.Begin(EVE, 62, ELEMENT, abandoned)).status());
  }

  private static final ResetKey RESET = ResetKey.fromExportKey(SecretBytes.copyOf(new byte[64]));

  @Test
  void attemptsRecordTheirIndexAndElementAndALifetimeCountThatResetsDoNotClear()
      throws Exception {
    long b = begin(BOB, KeySharesTest.shares(3, 7));
    long gen = apply(new Command.Register(BOB, 100, 2, 3, REC, KEY, ID, b, RESET.publicKey()))
        .record().orElseThrow().generation();
    Outcome a = apply(new Command.Attempt(BOB, 101, element(9)));
    UserRecord r = a.record().orElseThrow();
    assertEquals(index, r.keys().lastAttempt());
    assertArrayEquals(element(9), r.keys().attempt(index).orElseThrow().element());
    assertEquals(1, r.keys().lifetimeAttempts());
    long attempt = index;
    assertEquals(Status.OK, apply(new Command.Reset(BOB, 102, gen, attempt,
        RESET.sign(BOB.bytes(), attempt))).status());
    apply(new Command.Attempt(BOB, 103, element(10)));
    UserRecord after = assertInstanceOf(UserState.Present.class, store.get(BOB)).record();
    assertEquals(1, after.attemptsUsed());
    assertEquals(2, after.keys().lifetimeAttempts());
    assertEquals(index, after.keys().lastAttempt());
    assertEquals(1, after.keys().attempts().size(), "the reset cleared the attempts before it");
    assertEquals(after, UserRecord.parse(after.toBytes()));
  }

  /**
   * No member can give a record its attempts back on its own: a reset needs the reset key's
   * signature over one of the record's attempts since its last reset; replaying one fails.
   */
  @Test
  void aResetNeedsTheResetKeysSignatureForAnAttemptSinceTheLastReset() throws Exception {
    long b = begin(BOB, KeySharesTest.shares(3, 11));
    long gen = apply(new Command.Register(BOB, 100, 2, 3, REC, KEY, ID, b, RESET.publicKey()))
        .record().orElseThrow().generation();
    apply(new Command.Attempt(BOB, 101, element(1)));
    long first = index;
    byte[] firstSig = RESET.sign(BOB.bytes(), first);
    apply(new Command.Attempt(BOB, 102, element(2)));
    long second = index;
    assertEquals(Status.UNPROVEN, apply(new Command.Reset(BOB, 103, gen)).status(),
        "no signature");
    assertEquals(Status.UNPROVEN, apply(new Command.Reset(BOB, 104, gen, first,
        RESET.sign(BOB.bytes(), second))).status(), "a signature for another attempt");
    ResetKey other = ResetKey.fromExportKey(SecretBytes.copyOf(new byte[] {1}));
    assertEquals(Status.UNPROVEN, apply(new Command.Reset(BOB, 105, gen, second,
        other.sign(BOB.bytes(), second))).status(), "another key");
    assertEquals(2, assertInstanceOf(UserState.Present.class, store.get(BOB)).record()
        .attemptsUsed());
    assertEquals(Status.OK, apply(new Command.Reset(BOB, 106, gen, second,
        RESET.sign(BOB.bytes(), second))).status());
    assertEquals(0, assertInstanceOf(UserState.Present.class, store.get(BOB)).record()
        .attemptsUsed());
    // A signature for an attempt before the reset is spent with it.
    assertEquals(Status.UNPROVEN, apply(new Command.Reset(BOB, 107, gen, first, firstSig))
        .status(), "replayed after the reset");
    // Without a reset key (an unmodified RFC 9807 client) nothing resets a record with shares.
    long eve = apply(new Command.Register(EVE, 100, 2, 3, REC, KEY, ID,
        begin(EVE, KeySharesTest.shares(3, 12)))).record().orElseThrow().generation();
    apply(new Command.Attempt(EVE, 101, element(3)));
    assertEquals(Status.UNPROVEN, apply(new Command.Reset(EVE, 102, eve, index,
        RESET.sign(EVE.bytes(), index))).status());
  }

  @Test
  void aPasswordChangeTakesFreshSharesAndStartsANewLife() throws Exception {
    long gen = register(BOB, begin(BOB, KeySharesTest.shares(3, 8))).record().orElseThrow()
        .generation();
    apply(new Command.Attempt(BOB, 101, element(2)));
    KeyShares fresh = KeySharesTest.shares(3, 9);
    long b = begin(BOB, fresh);
    Outcome o = apply(new Command.Replace(BOB, 110, gen, 2, 3, REC, KEY, b));
    assertEquals(Status.OK, o.status());
    UserRecord r = o.record().orElseThrow();
    assertEquals(fresh, r.shares());
    assertEquals(0, r.keys().lifetimeAttempts());
    assertEquals(-1, r.keys().lastAttempt());
    assertTrue(store.pending(BOB).isEmpty());
  }
}
