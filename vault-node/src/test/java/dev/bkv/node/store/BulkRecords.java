package dev.bkv.node.store;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Writes registered users straight into a stopped member's record database, for the scale
 * benchmark: each user's value is what {@link RecordStore#apply} stores for a {@link
 * Command.Register} completing its {@link Command.Begin} (the same {@link Transition}, so the
 * same bytes, audit entry included), and each key share's reuse digest is marked spent as the
 * {@code Begin} does. The applied position is left as it is: the records join the state at that
 * index, as if registered before it, which is why every record's generation must be at or
 * below it. The key layout (prefixes {@code U}, {@code S}) is {@link RecordStore}'s.
 *
 * <p>Writes skip RocksDB's write-ahead log and are flushed by {@link #close}; a crash while
 * loading leaves a database to throw away.
 */
public final class BulkRecords implements AutoCloseable {
  private static final byte[] APPLIED_KEY = {0x00, 'a', 'p', 'p', 'l', 'i', 'e', 'd'};
  private static final byte[] SPENT = {1};
  private final Options options;
  private final RocksDB db;
  private final WriteOptions noWal = new WriteOptions().setDisableWAL(true);
  private final Transition transition = new Transition(RecordStore.DEFAULT_AUDIT_CAPACITY);
  private final RecordStore.Applied applied;
  private WriteBatch batch = new WriteBatch();
  private long added;

  private BulkRecords(Options options, RocksDB db, RecordStore.Applied applied) {
    this.options = options;
    this.db = db;
    this.applied = applied;
  }

  /** Opens the database in {@code dir} (it must exist: a member's, with an applied position). */
  public static BulkRecords open(Path dir) throws StoreException {
    RecordStore.Applied applied;
    try (RecordStore s = RecordStore.open(dir, RecordStore.DEFAULT_AUDIT_CAPACITY)) {
      applied = s.applied();
    }
    if (applied.index() < 0) {
      throw new StoreException("record store at " + dir + " has applied nothing; bulk records "
          + "join a state that Raft wrote first");
    }
    Options options = new Options().setCreateIfMissing(false).setKeepLogFileNum(2)
        .setMaxLogFileSize(1 << 20);
    try {
      return new BulkRecords(options, RocksDB.open(options, dir.toString()), applied);
    } catch (RocksDBException e) {
      options.close();
      throw new StoreException("cannot open " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The log position the records join. */
  public RecordStore.Applied applied() {
    return applied;
  }

  /** Adds a new user's record, as registered at {@code generation} (≤ the applied index). */
  public void add(Command.Register register, long generation, KeyShares shares)
      throws StoreException {
    if (generation > applied.index() || generation < 1) {
      throw new IllegalArgumentException("generation " + generation + " is outside 1.."
          + applied.index() + " (the applied index the records join)");
    }
    Transition.Result r = transition.apply(new UserState.Absent(), register, generation, shares);
    if (r.outcome().status() != Outcome.Status.OK) {
      throw new IllegalStateException("register of " + register.userId() + " answered "
          + r.outcome().status());
    }
    try {
      batch.put(prefixed((byte) 'U', register.userId().bytes()), r.after().toBytes());
      for (byte[] d : shares.digests()) {
        batch.put(prefixed((byte) 'S', d), SPENT);
      }
      if (++added % 2_000 == 0) {
        flushBatch();
      }
    } catch (RocksDBException e) {
      throw new StoreException("cannot write bulk records: " + e.getMessage(), e);
    }
  }

  public long added() {
    return added;
  }

  private void flushBatch() throws RocksDBException {
    db.write(noWal, batch);
    batch.close();
    batch = new WriteBatch();
  }

  /**
   * Writes what is left, flushes the memtables and compacts, then checks the applied position
   * did not move.
   */
  @Override
  public void close() throws StoreException {
    try {
      flushBatch();
      try (FlushOptions f = new FlushOptions().setWaitForFlush(true)) {
        db.flush(f);
      }
      db.compactRange();
      byte[] v = db.get(APPLIED_KEY);
      ByteBuffer b = ByteBuffer.wrap(v);
      RecordStore.Applied now = new RecordStore.Applied(b.getLong(), b.getLong());
      if (!now.equals(applied)) {
        throw new StoreException("applied position moved from " + applied + " to " + now
            + " during a bulk load");
      }
    } catch (RocksDBException e) {
      throw new StoreException("cannot finish bulk records: " + e.getMessage(), e);
    } finally {
      batch.close();
      db.close();
      noWal.close();
      options.close();
    }
  }

  private static byte[] prefixed(byte prefix, byte[] id) {
    byte[] key = Arrays.copyOf(new byte[] {prefix}, 1 + id.length);
    System.arraycopy(id, 0, key, 1, id.length);
    return key;
  }
}
