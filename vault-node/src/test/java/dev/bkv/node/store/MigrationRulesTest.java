package dev.bkv.node.store;

import static org.junit.jupiter.api.Assertions.*;

import dev.bkv.node.store.Outcome.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The record store's migration rules (DESIGN §11): a staged registration answers no login until
 * activated with proven receipts; a closed record answers no login; attempts are carried over.
 * The receipt check here is a stand-in that accepts exactly one marker byte string (the real
 * check, {@code PredecessorFleet}, is tested with real signatures in {@code RolloverTest}).
 */
class MigrationRulesTest {
  private static final UserId ANN = new UserId("ann".getBytes(StandardCharsets.UTF_8));
  private static final byte[] REC = {1, 2, 3};
  private static final byte[] KEY = {7, 7};
  private static final byte[] GOOD = ClosureReceipts.encode(List.of(
      new ClosureReceipts.Receipt("m1", new byte[] {1, 1, 1, 1, 1, 1, 1, 1})));
  private static final byte[] BAD = ClosureReceipts.encode(List.of(
      new ClosureReceipts.Receipt("m1", new byte[] {2, 2, 2, 2, 2, 2, 2, 2})));

  @TempDir Path dir;
  private RecordStore store;
  private long index;
  private final byte[] successor = filled(32, 5);

  @BeforeEach
  void open() throws Exception {
    store = RecordStore.open(dir.resolve("db"), 8, (user, succ, attempts, receipts) ->
        receipts.size() == 1 && receipts.get(0).signature()[0] == 1);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static byte[] filled(int n, int v) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) v);
    return b;
  }

  private Outcome apply(Command c) throws StoreException {
    return store.apply(c, 1, ++index);
  }

  private Command.Register register(int limit, byte[] id) {
    return new Command.Register(ANN, 100, 2, limit, REC, KEY, id);
  }

  @Test
  void stagedRecordAnswersNoLoginUntilActivatedWithProvenReceipts() throws Exception {
    assertEquals(Status.OK, apply(new Command.Stage(register(5, filled(16, 9)), successor))
        .status());
    assertInstanceOf(UserState.Staged.class, store.get(ANN));
    assertEquals(Status.UNKNOWN, apply(new Command.Attempt(ANN, 101)).status());
    assertEquals(Status.UNKNOWN, apply(new Command.Delete(ANN, 102, index)).status());
    assertEquals(Status.UNPROVEN, apply(new Command.Activate(ANN, 103, successor, 3, BAD))
        .status());
    assertEquals(Status.CONFLICT, apply(new Command.Activate(ANN, 104, filled(32, 6), 3, GOOD))
        .status());
    assertInstanceOf(UserState.Staged.class, store.get(ANN));
    Outcome on = apply(new Command.Activate(ANN, 105, successor, 3, GOOD));
    assertEquals(Status.OK, on.status());
    assertEquals(3, on.record().orElseThrow().attemptsUsed(), "the closed record's attempts");
    assertEquals(2, on.record().orElseThrow().attemptsLeft());
    assertEquals(Status.EXISTS, apply(new Command.Activate(ANN, 106, successor, 0, GOOD))
        .status(), "activating twice changes nothing");
    assertEquals(Status.OK, apply(new Command.Attempt(ANN, 107)).status());
    assertEquals(Status.OK, apply(new Command.Attempt(ANN, 108)).status());
    assertEquals(Status.LOCKED, apply(new Command.Attempt(ANN, 109)).status(),
        "5 attempts in all across both fleets");
  }

  @Test
  void stagingOverALiveRecordIsRefusedAndARetryIsAnsweredAsDone() throws Exception {
    byte[] id = filled(16, 4);
    assertEquals(Status.OK, apply(register(5, filled(16, 3))).status());
    assertEquals(Status.EXISTS, apply(new Command.Stage(register(5, id), successor)).status());
    assertEquals(Status.OK, apply(new Command.Delete(ANN, 110, 1)).status());
    assertEquals(Status.OK, apply(new Command.Stage(register(5, id), successor)).status());
    long staged = index;
    assertEquals(Status.OK, apply(new Command.Stage(register(5, id), successor)).status());
    UserState.Staged st = assertInstanceOf(UserState.Staged.class, store.get(ANN));
    assertEquals(staged, st.record().generation(), "the retry wrote nothing");
  }

  @Test
  void closedRecordAnswersNoLoginAndKeepsItsAttempts() throws Exception {
    long gen = apply(register(5, filled(16, 3))).record().orElseThrow().generation();
    apply(new Command.Attempt(ANN, 101));
    apply(new Command.Attempt(ANN, 102));
    assertEquals(Status.CONFLICT, apply(new Command.Close(ANN, 103, gen + 1, successor))
        .status());
    assertEquals(Status.OK, apply(new Command.Close(ANN, 104, gen, successor)).status());
    UserState.Closed c = assertInstanceOf(UserState.Closed.class, store.get(ANN));
    assertEquals(2, c.attempts());
    assertArrayEquals(successor, c.successor());
    assertEquals(Status.UNKNOWN, apply(new Command.Attempt(ANN, 105)).status());
    assertEquals(Status.OK, apply(new Command.Close(ANN, 106, gen, successor)).status(),
        "a retried close is answered as done");
    assertEquals(Status.UNKNOWN, apply(new Command.Close(ANN, 107, gen, filled(32, 8)))
        .status());
    assertEquals(2, assertInstanceOf(UserState.Closed.class, store.get(ANN)).attempts());
  }

  @Test
  void stagedAndClosedStatesAndTheNewCommandsRoundTrip() throws Exception {
    for (Command c : List.of(new Command.Stage(register(5, filled(16, 1)), successor),
        new Command.Close(ANN, 5, 6, successor), new Command.Activate(ANN, 7, successor, 4, GOOD))) {
      assertArrayEquals(c.toBytes(), Command.parse(c.toBytes()).toBytes());
    }
    UserState closed = new UserState.Closed(ANN, 1, 2, 3, successor, 4, List.of());
    assertArrayEquals(closed.toBytes(), UserState.parse(closed.toBytes()).toBytes());
    byte[] wrongTag = new Command.Close(ANN, 5, 6, successor).toBytes();
    byte[] stage = new Command.Stage(register(5, filled(16, 1)), successor).toBytes();
    byte[] otherUser = new Command.Register(new UserId(new byte[] {'x'}), 100, 2, 5, REC, KEY,
        filled(16, 1)).toBytes();
    byte[] forged = new WireWriter().u8(Command.VERSION).u8(0x0C).bytes(ANN.bytes()).u64(100)
        .bytes(successor).bytes(otherUser).toBytes();
    assertNotNull(Command.parse(stage));
    assertThrows(MalformedMessageException.class, () -> Command.parse(forged),
        "a staged registration for another user is refused");
    assertThrows(MalformedMessageException.class, () -> Command.parse(
        Arrays.copyOf(wrongTag, wrongTag.length - 1)));
  }
}
