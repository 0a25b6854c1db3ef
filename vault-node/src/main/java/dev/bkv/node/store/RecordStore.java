package dev.bkv.node.store;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.rocksdb.Checkpoint;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The users' records in a RocksDB database, one key per user. Every {@link #apply} writes the
 * user's new state and the applied log position in a single write batch, so replaying a log
 * entry that is already reflected in the database is detected and changes nothing.
 *
 * <p>{@link #apply} must be called from one thread at a time (the Raft apply thread);
 * {@link #get} and {@link #checkpoint} may run concurrently with it.
 */
public final class RecordStore implements AutoCloseable {
  public static final int DEFAULT_AUDIT_CAPACITY = 64;
  private static final byte[] APPLIED_KEY = {0x00, 'a', 'p', 'p', 'l', 'i', 'e', 'd'};
  private static final byte USER_PREFIX = 'U';

  static {
    RocksDB.loadLibrary();
  }

  /** A position in the replicated log. */
  public record Applied(long term, long index) {
    public static final Applied NONE = new Applied(0, -1);
  }

  private final Path dir;
  private final Options options;
  private final RocksDB db;
  private final WriteOptions writeOptions = new WriteOptions();
  private final Transition transition;
  private volatile Applied applied;

  private RecordStore(Path dir, Options options, RocksDB db, int auditCapacity)
      throws StoreException {
    this.dir = dir;
    this.options = options;
    this.db = db;
    this.transition = new Transition(auditCapacity);
    this.applied = readApplied();
  }

  /** Opens (creating if needed) the database in {@code dir}. */
  public static RecordStore open(Path dir, int auditCapacity) throws StoreException {
    Options options = new Options().setCreateIfMissing(true).setKeepLogFileNum(2)
        .setMaxLogFileSize(1 << 20);
    try {
      Files.createDirectories(dir);
      return new RecordStore(dir, options, RocksDB.open(options, dir.toString()), auditCapacity);
    } catch (RocksDBException | java.io.IOException e) {
      options.close();
      throw new StoreException("cannot open record store at " + dir + ": " + e.getMessage(), e);
    }
  }

  public Path directory() {
    return dir;
  }

  /** The last log position whose command is reflected in the database. */
  public Applied applied() {
    return applied;
  }

  /**
   * Applies {@code command} as the log entry at {@code term}/{@code index}. An index at or below
   * {@link #applied()} was applied before; it changes nothing and answers {@code REPLAYED}.
   */
  public Outcome apply(Command command, long term, long index) throws StoreException {
    if (index <= applied.index()) {
      return Outcome.of(Outcome.Status.REPLAYED);
    }
    byte[] key = userKey(command.userId());
    Transition.Result r = transition.apply(read(key), command, index);
    Applied next = new Applied(term, index);
    try (WriteBatch batch = new WriteBatch()) {
      if (r.after() instanceof UserState.Absent a && a.audit().isEmpty()) {
        batch.delete(key);
      } else if (r.after() != null) {
        batch.put(key, r.after().toBytes());
      }
      batch.put(APPLIED_KEY, ByteBuffer.allocate(16).putLong(term).putLong(index).array());
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new StoreException("cannot write log index " + index + ": " + e.getMessage(), e);
    }
    applied = next;
    return r.outcome();
  }

  /** Records that a log entry carrying no command (e.g. a configuration change) was applied. */
  public void advance(long term, long index) throws StoreException {
    if (index <= applied.index()) {
      return;
    }
    try {
      db.put(writeOptions, APPLIED_KEY, ByteBuffer.allocate(16).putLong(term).putLong(index)
          .array());
    } catch (RocksDBException e) {
      throw new StoreException("cannot write log index " + index + ": " + e.getMessage(), e);
    }
    applied = new Applied(term, index);
  }

  public UserState get(UserId user) throws StoreException {
    return read(userKey(user));
  }

  /** Writes a consistent copy of the database into {@code target}, which must not exist. */
  public void checkpoint(Path target) throws StoreException {
    try (Checkpoint cp = Checkpoint.create(db)) {
      cp.createCheckpoint(target.toString());
    } catch (RocksDBException e) {
      throw new StoreException("cannot checkpoint record store into " + target + ": "
          + e.getMessage(), e);
    }
  }

  private UserState read(byte[] key) throws StoreException {
    try {
      byte[] v = db.get(key);
      return v == null ? new UserState.Absent() : UserState.parse(v);
    } catch (RocksDBException e) {
      throw new StoreException("cannot read record store: " + e.getMessage(), e);
    } catch (MalformedMessageException e) {
      throw new StoreException("stored user state is corrupt: " + e.getMessage(), e);
    }
  }

  private Applied readApplied() throws StoreException {
    try {
      byte[] v = db.get(APPLIED_KEY);
      if (v == null) {
        return Applied.NONE;
      }
      if (v.length != 16) {
        throw new StoreException("applied position is " + v.length + " bytes; expected 16");
      }
      ByteBuffer b = ByteBuffer.wrap(v);
      return new Applied(b.getLong(), b.getLong());
    } catch (RocksDBException e) {
      throw new StoreException("cannot read applied position: " + e.getMessage(), e);
    }
  }

  private static byte[] userKey(UserId user) {
    byte[] id = user.bytes();
    byte[] key = Arrays.copyOf(new byte[] {USER_PREFIX}, 1 + id.length);
    System.arraycopy(id, 0, key, 1, id.length);
    return key;
  }

  @Override
  public void close() {
    db.close();
    writeOptions.close();
    options.close();
  }
}
