package dev.bkv.node.store;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.rocksdb.Checkpoint;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
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
public final class RecordStore implements RecordView, AutoCloseable {
  public static final int DEFAULT_AUDIT_CAPACITY = 64;
  private static final byte[] APPLIED_KEY = {0x00, 'a', 'p', 'p', 'l', 'i', 'e', 'd'};
  private static final byte USER_PREFIX = 'U';
  private static final byte PENDING_PREFIX = 'P';
  private static final byte SPENT_PREFIX = 'S';
  private static final byte[] SPENT = {1};

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

  private RecordStore(Path dir, Options options, RocksDB db, int auditCapacity,
      ClosureReceipts.Check closures) throws StoreException {
    this.dir = dir;
    this.options = options;
    this.db = db;
    this.transition = new Transition(auditCapacity, closures);
    this.applied = readApplied();
  }

  /** Opens (creating if needed) the database in {@code dir}; no earlier fleet to migrate from. */
  public static RecordStore open(Path dir, int auditCapacity) throws StoreException {
    return open(dir, auditCapacity, ClosureReceipts.Check.NONE);
  }

  /**
   * Opens (creating if needed) the database in {@code dir}; {@code closures} checks the closure
   * receipts of records migrating from the earlier fleet (DESIGN §11).
   */
  public static RecordStore open(Path dir, int auditCapacity, ClosureReceipts.Check closures)
      throws StoreException {
    Options options = new Options().setCreateIfMissing(true).setKeepLogFileNum(2)
        .setMaxLogFileSize(1 << 20);
    try {
      Files.createDirectories(dir);
      return new RecordStore(dir, options, RocksDB.open(options, dir.toString()), auditCapacity,
          closures);
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
    if (command instanceof Command.Begin b) {
      return begin(b, term, index);
    }
    UserId user = command.userId();
    byte[] key = userKey(user);
    UserState before = read(key);
    long beginIndex = beginIndex(command);
    KeyShares shares = KeyShares.NONE;
    boolean completes = false;
    if (beginIndex >= 0) {
      PendingRegistration p = pending(user).orElse(null);
      if (p != null && p.index() == beginIndex) {
        shares = p.shares();
        completes = true;
      } else if (!retried(command, before)) {
        // Not the user's pending registration (superseded, completed, or never begun).
        write(term, index, batch -> {});
        return Outcome.of(Outcome.Status.CONFLICT);
      }
    }
    Transition.Result r = transition.apply(before, command, index, shares);
    boolean clearPending = completes && (r.after() instanceof UserState.Present p
        && p.record().generation() == index || r.after() instanceof UserState.Staged st
        && st.record().generation() == index);
    write(term, index, batch -> {
      if (r.after() instanceof UserState.Absent a && a.audit().isEmpty()) {
        batch.delete(key);
      } else if (r.after() != null) {
        batch.put(key, r.after().toBytes());
      }
      if (clearPending) {
        batch.delete(pendingKey(user));
      }
    });
    return r.outcome();
  }

  /**
   * A registration begins: refused with {@code REUSED} (nothing but the log position written)
   * if any of its key shares was committed before; otherwise every share is marked used, for
   * good, and the registration becomes the user's pending one.
   */
  private Outcome begin(Command.Begin b, long term, long index) throws StoreException {
    List<byte[]> digests = b.shares().digests();
    try {
      for (byte[] d : digests) {
        if (db.get(spentKey(d)) != null) {
          write(term, index, batch -> {});
          return Outcome.of(Outcome.Status.REUSED);
        }
      }
    } catch (RocksDBException e) {
      throw new StoreException("cannot read record store: " + e.getMessage(), e);
    }
    PendingRegistration p = new PendingRegistration(index, b.element(), b.shares());
    write(term, index, batch -> {
      for (byte[] d : digests) {
        batch.put(spentKey(d), SPENT);
      }
      batch.put(pendingKey(b.userId()), p.toBytes());
    });
    return Outcome.of(Outcome.Status.OK);
  }

  /** The user's registration committed to start and not completed yet, if any. */
  public Optional<PendingRegistration> pending(UserId user) throws StoreException {
    try {
      byte[] v = db.get(pendingKey(user));
      return v == null ? Optional.empty() : Optional.of(PendingRegistration.parse(v));
    } catch (RocksDBException e) {
      throw new StoreException("cannot read record store: " + e.getMessage(), e);
    } catch (MalformedMessageException e) {
      throw new StoreException("stored pending registration is corrupt: " + e.getMessage(), e);
    }
  }

  private interface BatchWork {
    void fill(WriteBatch batch) throws RocksDBException;
  }

  /** Writes {@code work} and the applied position {@code term}/{@code index} atomically. */
  private void write(long term, long index, BatchWork work) throws StoreException {
    try (WriteBatch batch = new WriteBatch()) {
      work.fill(batch);
      batch.put(APPLIED_KEY, ByteBuffer.allocate(16).putLong(term).putLong(index).array());
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new StoreException("cannot write log index " + index + ": " + e.getMessage(), e);
    }
    applied = new Applied(term, index);
  }

  /** Whether {@code command} repeats the registration that wrote the user's record. */
  private static boolean retried(Command command, UserState before) {
    Command.Register reg = command instanceof Command.Stage st ? st.register()
        : command instanceof Command.Register r ? r : null;
    if (reg == null) {
      return false;
    }
    UserRecord rec = before instanceof UserState.Present p ? p.record()
        : before instanceof UserState.Staged st ? st.record() : null;
    return rec != null && rec.writtenBy(reg.registrationId());
  }

  private static long beginIndex(Command c) {
    if (c instanceof Command.Register r) {
      return r.beginIndex();
    }
    if (c instanceof Command.Stage s) {
      return s.register().beginIndex();
    }
    return c instanceof Command.Replace p ? p.beginIndex() : -1;
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

  /**
   * The user records this replica holds: present, locked or staged (not closed by a migration,
   * not deleted). Scans every user key, so it costs one pass over the store: for status, not
   * for the request path.
   */
  public long countRecords() throws StoreException {
    long n = 0;
    try (RocksIterator it = db.newIterator()) {
      for (it.seek(new byte[] {USER_PREFIX}); it.isValid(); it.next()) {
        byte[] key = it.key();
        if (key.length == 0 || key[0] != USER_PREFIX) {
          break;
        }
        UserState s = UserState.parse(it.value());
        if (s instanceof UserState.Present || s instanceof UserState.Locked
            || s instanceof UserState.Staged) {
          n++;
        }
      }
    } catch (MalformedMessageException e) {
      throw new StoreException("stored user state is corrupt: " + e.getMessage(), e);
    }
    return n;
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
    return prefixed(USER_PREFIX, user.bytes());
  }

  private static byte[] pendingKey(UserId user) {
    return prefixed(PENDING_PREFIX, user.bytes());
  }

  private static byte[] spentKey(byte[] digest) {
    return prefixed(SPENT_PREFIX, digest);
  }

  private static byte[] prefixed(byte prefix, byte[] id) {
    byte[] key = Arrays.copyOf(new byte[] {prefix}, 1 + id.length);
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
