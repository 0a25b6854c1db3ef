package dev.bkv.node.store;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RecordStore#countRecords}: present and locked records count, deleted ones do not, and
 * pending registrations or the applied position are not records.
 */
class RecordCountTest {
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

  private static UserId user(String name) {
    return new UserId(name.getBytes(StandardCharsets.UTF_8));
  }

  private long register(String name, int limit) throws StoreException {
    Outcome o = apply(new Command.Register(user(name), 100, 2, limit, REC, KEY, new byte[0]));
    assertEquals(Outcome.Status.OK, o.status(), name);
    return o.record().orElseThrow().generation();
  }

  @Test
  void countsPresentAndLockedRecordsOnly() throws Exception {
    assertEquals(0, store.countRecords());
    register("ana", 10);
    long bob = register("bob", 1);
    long cy = register("cy", 10);
    assertEquals(3, store.countRecords());
    apply(new Command.Attempt(user("bob"), 101));
    assertEquals(Outcome.Status.LOCKED, apply(new Command.Attempt(user("bob"), 102)).status());
    assertInstanceOf(UserState.Locked.class, store.get(user("bob")), "bob " + bob);
    assertEquals(3, store.countRecords(), "a locked record still counts");
    assertEquals(Outcome.Status.OK, apply(new Command.Delete(user("cy"), 103, cy)).status());
    assertEquals(2, store.countRecords(), "a deleted record does not");
  }
}
