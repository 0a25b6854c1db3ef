package dev.bkv.node.raft;

import dev.bkv.node.raft.internal.CheckpointSnapshots;
import dev.bkv.node.store.ClosureReceipts;
import dev.bkv.node.store.Command;
import dev.bkv.node.store.MalformedMessageException;
import dev.bkv.node.store.Outcome;
import dev.bkv.node.store.RecordStore;
import dev.bkv.node.store.StoreException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;

/**
 * The Ratis adapter over one shard's {@link RecordStore}: commands are authenticated (signed by
 * a fleet member) and validated on the leader in {@link #startTransaction}, applied only in
 * {@link #applyTransaction}, and reads are served by {@link #query} (linearizable when the
 * server is configured so). Snapshots are RocksDB checkpoints ({@link CheckpointSnapshots}).
 *
 * <p>The lock guards the store's lifetime only (reopening after a snapshot install); applies,
 * reads and checkpoints all run under its shared side and never block one another.
 */
public final class VaultStateMachine extends BaseStateMachine {
  private static final System.Logger LOG = System.getLogger(VaultStateMachine.class.getName());
  private final CheckpointSnapshots storage = new CheckpointSnapshots();
  private final ReadWriteLock lifetime = new ReentrantReadWriteLock();
  private final AtomicInteger installs = new AtomicInteger();
  private final int auditCapacity;
  private final CommandAuthenticator authenticator;
  private final PeerRequests peers;
  private final Object applied = new Object();
  /** Requests waiting for this replica to apply an index, lowest first (guarded by applied). */
  private final java.util.PriorityQueue<Waiter> waiters =
      new java.util.PriorityQueue<>(java.util.Comparator.comparingLong(Waiter::index));

  private record Waiter(long index, CompletableFuture<Boolean> applied) {}
  /** Where key share requests run: off Ratis' threads, a few at a time. */
  private final java.util.concurrent.ExecutorService peerWork =
      java.util.concurrent.Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "bkv-peer-requests");
        t.setDaemon(true);
        return t;
      });
  private RecordStore store;
  /** How long a key share request waits for this replica to apply its index. */
  private static final long APPLY_WAIT_MS = 2_000;
  private final ClosureReceipts.Check closures;

  /**
   * A shard's state machine. {@code authenticator} decides on the leader which submitted
   * messages become log entries ({@link CommandAuthenticator#members} for a fleet).
   */
  public VaultStateMachine(int auditCapacity, CommandAuthenticator authenticator) {
    this(auditCapacity, authenticator, PeerRequests.NONE);
  }

  /** With {@code peers} answering key share requests from other members (DESIGN §10). */
  public VaultStateMachine(int auditCapacity, CommandAuthenticator authenticator,
      PeerRequests peers) {
    this(auditCapacity, authenticator, peers, ClosureReceipts.Check.NONE);
  }

  /** With {@code closures} checking migrations' closure receipts (DESIGN §11). */
  public VaultStateMachine(int auditCapacity, CommandAuthenticator authenticator,
      PeerRequests peers, ClosureReceipts.Check closures) {
    this.closures = closures;
    this.auditCapacity = auditCapacity;
    this.authenticator = authenticator;
    this.peers = peers;
  }

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return storage;
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage)
      throws IOException {
    super.initialize(server, groupId, raftStorage);
    storage.init(raftStorage);
    getLifeCycle().startAndTransition(this::openStore, IOException.class);
  }

  /** Opens the live database; rolls it forward from the latest snapshot if that is newer. */
  private void openStore() throws IOException {
    SnapshotInfo snap = storage.getLatestSnapshot();
    RecordStore s;
    try {
      s = open();
    } catch (IOException e) {
      if (snap == null) {
        throw e;
      }
      // An unreadable live database is rebuilt from the snapshot plus the log after it.
      storage.restoreInto(storage.liveDbDir());
      s = open();
    }
    if (snap != null && s.applied().index() < snap.getIndex()) {
      s.close();
      storage.restoreInto(storage.liveDbDir());
      s = open();
    }
    store = s;
    if (snap != null) {
      setLastAppliedTermIndex(snap.getTermIndex());
      releaseWaiters();
    }
  }

  private RecordStore open() throws IOException {
    try {
      return RecordStore.open(storage.liveDbDir(), auditCapacity, closures);
    } catch (StoreException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  @Override
  public void pause() {
    LifeCycle lc = getLifeCycle();
    if (lc.getCurrentState() == LifeCycle.State.RUNNING) {
      lc.transition(LifeCycle.State.PAUSING);
      lc.transition(LifeCycle.State.PAUSED);
    }
  }

  /** Called by Ratis after it installed a snapshot from the leader. */
  @Override
  public void reinitialize() throws IOException {
    lifetime.writeLock().lock();
    try {
      getLifeCycle().transition(LifeCycle.State.STARTING);
      store.close();
      storage.reload();
      installs.incrementAndGet();
      openStore();
      getLifeCycle().transition(LifeCycle.State.RUNNING);
    } finally {
      lifetime.writeLock().unlock();
    }
  }

  @Override
  public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
    byte[] command;
    try {
      command = authenticator.open(getGroupId(),
          request.getMessage().getContent().toByteArray());
      Command.parse(command);
    } catch (CommandRefusedException | MalformedMessageException e) {
      TransactionContext trx = super.startTransaction(request);
      trx.setException(new StateMachineException("rejected command: " + e.getMessage()));
      return trx;
    }
    // Only the inner command is logged: followers apply it as before, unaware of envelopes.
    return TransactionContext.newBuilder().setStateMachine(this).setClientRequest(request)
        .setLogData(ByteString.copyFrom(command)).build();
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    TermIndex ti = TermIndex.valueOf(entry);
    lifetime.readLock().lock();
    try {
      Command c = Command.parse(entry.getStateMachineLogEntry().getLogData().toByteArray());
      Outcome outcome = store.apply(c, ti.getTerm(), ti.getIndex());
      updateLastAppliedTermIndex(ti);
      releaseWaiters();
      return CompletableFuture.completedFuture(Message.valueOf(
          ByteString.copyFrom(outcome.toBytes())));
    } catch (MalformedMessageException | StoreException e) {
      // Fail-stop: an entry this version cannot read (startTransaction validated it on the
      // leader) or a database fault. Ratis logs and skips an apply whose future fails, which
      // would let this replica diverge; an exception thrown here instead stops the updater and
      // closes this replica's group until an operator intervenes.
      throw new IllegalStateException("cannot apply log entry " + ti + " in "
          + getGroupId() + ": " + e.getMessage(), e);
    } finally {
      lifetime.readLock().unlock();
    }
  }

  /**
   * A read from a replica that may lag: answered once this replica applied {@code minIndex}.
   * Waits with {@link #whenApplied} (no thread held) rather than Ratis' own stale-read
   * futures, which 3.2.0 completes only when the applied index is set again unchanged, so that
   * a read can wait for seconds after its index was applied.
   */
  @Override
  public CompletableFuture<Message> queryStale(Message request, long minIndex) {
    if (appliedIndex() >= minIndex) {
      return query(request);
    }
    return whenApplied(minIndex).thenComposeAsync(applied -> applied ? query(request)
        : CompletableFuture.failedFuture(new StateMachineException("replica has not "
            + "applied index " + minIndex + " within " + APPLY_WAIT_MS + " ms")), peerWork);
  }

  @Override
  public CompletableFuture<Message> query(Message request) {
    Query q;
    try {
      q = Query.parse(request.getContent().toByteArray());
    } catch (MalformedMessageException e) {
      return CompletableFuture.failedFuture(new StateMachineException(e.getMessage()));
    }
    if (q instanceof Query.Get || q instanceof Query.Status) {
      return read(q);
    }
    // A key share request waits for its index (without holding a thread) and does HSM work:
    // never on a Ratis thread (a stale read's continuation may run on the apply thread itself).
    if (!(q instanceof Query.Partial p)) {
      return CompletableFuture.supplyAsync(() -> q, peerWork).thenCompose(this::read);
    }
    return whenApplied(p.index()).thenComposeAsync(applied -> {
      if (!applied) {
        LOG.log(System.Logger.Level.WARNING, "a key share request for index {0} waited {1} ms "
            + "for this replica to apply it (applied: {2})", p.index(), APPLY_WAIT_MS,
            appliedIndex());
        return CompletableFuture.failedFuture(new StateMachineException("replica has not "
            + "applied index " + p.index() + " within " + APPLY_WAIT_MS + " ms"));
      }
      return read(q);
    }, peerWork);
  }

  private CompletableFuture<Message> read(Query q) {
    lifetime.readLock().lock();
    try {
      if (store == null) {
        return CompletableFuture.failedFuture(new StateMachineException("replica is closed"));
      }
      byte[] reply;
      if (q instanceof Query.Get g) {
        reply = store.get(g.userId()).toBytes();
      } else if (q instanceof Query.Status) {
        reply = status().toBytes();
      } else {
        reply = peers.answer(q, store).toBytes();
      }
      return CompletableFuture.completedFuture(Message.valueOf(
          ByteString.copyFrom(reply)));
    } catch (StoreException e) {
      return CompletableFuture.failedFuture(new StateMachineException(e.getMessage()));
    } finally {
      lifetime.readLock().unlock();
    }
  }


  /**
   * Waits until this replica applied {@code index}: a peer's key share request names the log
   * index of a committed attempt or registration, which this replica may know is committed (the
   * stale read's floor) before it has applied it.
   */
  private long appliedIndex() {
    TermIndex ti = getLastAppliedTermIndex();
    return ti == null ? -1 : ti.getIndex();
  }

  /**
   * Completes with true once this replica has applied {@code index}, or with false after
   * {@link #APPLY_WAIT_MS}; no thread waits meanwhile.
   */
  private CompletableFuture<Boolean> whenApplied(long index) {
    synchronized (applied) {
      if (appliedIndex() >= index) {
        return CompletableFuture.completedFuture(true);
      }
      Waiter w = new Waiter(index, new CompletableFuture<>());
      waiters.add(w);
      // One that times out leaves the queue: a member asking about indexes that never come
      // (a far future one) holds nothing here once its wait is over.
      CompletableFuture.delayedExecutor(APPLY_WAIT_MS, TimeUnit.MILLISECONDS).execute(() -> {
        synchronized (applied) {
          waiters.remove(w);
        }
        w.applied().complete(false); // no-op if the index was applied in time
      });
      return w.applied();
    }
  }

  /** Requests waiting for this replica to apply an index (for tests). */
  int waitingForApply() {
    synchronized (applied) {
      return waiters.size();
    }
  }

  /** Completes the waiters whose index this replica has now applied. */
  private void releaseWaiters() {
    List<Waiter> ready = new ArrayList<>();
    synchronized (applied) {
      long now = appliedIndex();
      while (!waiters.isEmpty() && waiters.peek().index() <= now) {
        ready.add(waiters.poll());
      }
    }
    ready.forEach(w -> w.applied().complete(true)); // continuations run on peerWork
  }

  /** The user records this replica holds ({@link RecordStore#countRecords}). */
  public long recordCount() throws IOException {
    lifetime.readLock().lock();
    try {
      if (store == null) {
        throw new IOException("the replica's store is not open");
      }
      return store.countRecords();
    } catch (StoreException e) {
      throw new IOException(e.getMessage(), e);
    } finally {
      lifetime.readLock().unlock();
    }
  }

  private ReplicaStatus status() {
    SnapshotInfo snap = storage.getLatestSnapshot();
    return new ReplicaStatus(getLastAppliedTermIndex().getIndex(), store.applied().index(),
        snap == null ? -1 : snap.getIndex(), installs.get());
  }

  /** Checkpoints the database; runs on the apply thread, so the state is at lastApplied. */
  @Override
  public long takeSnapshot() throws IOException {
    TermIndex ti = getLastAppliedTermIndex();
    if (ti == null || ti.getIndex() < 0) {
      return -1;
    }
    lifetime.readLock().lock();
    try {
      return storage.take(ti, target -> {
        try {
          // Entries after the last command (e.g. configuration changes) carry no state; record
          // the label's index so a restored copy does not look older than its snapshot.
          store.advance(ti.getTerm(), ti.getIndex());
          store.checkpoint(target);
        } catch (StoreException e) {
          throw new IOException(e.getMessage(), e);
        }
      }).getIndex();
    } finally {
      lifetime.readLock().unlock();
    }
  }

  @Override
  public void close() {
    peerWork.shutdownNow();
    lifetime.writeLock().lock();
    try {
      if (store != null) {
        store.close();
        store = null;
      }
      getLifeCycle().checkStateAndClose();
    } finally {
      lifetime.writeLock().unlock();
    }
  }
}
