package dev.bkv.node.testing;

import dev.bkv.node.raft.ReplicatedRecords;
import dev.bkv.node.raft.ReplicationException;
import dev.bkv.node.store.Command;
import dev.bkv.node.store.Outcome;
import dev.bkv.node.store.RecordStore;
import dev.bkv.node.store.StoreException;
import dev.bkv.node.store.UserId;
import dev.bkv.node.store.UserState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;

/**
 * Replicated records without a cluster, for unit tests of the vault service: one real {@link
 * RecordStore} (RocksDB in a temporary directory) that applies each command at the next log
 * index, so outcomes, generations and audit trails follow the same rules as on a member.
 *
 * <p>Faults a test can queue for the next commits: {@link Fault#UNAVAILABLE} (the fleet is
 * unreachable: nothing is applied) and {@link Fault#REPLAYED} (applied, but the answer is
 * {@code REPLAYED}, as a member restarted within the retry-cache expiry answers a retry).
 */
public final class LocalRecords implements ReplicatedRecords, AutoCloseable {
  /** What the next commit does instead of answering normally. */
  public enum Fault { UNAVAILABLE, REPLAYED }

  private final Path dir;
  private final RecordStore store;
  private final Deque<Fault> faults = new ArrayDeque<>();
  private final List<Command> log = new ArrayList<>();
  private long index;

  private LocalRecords(Path dir, RecordStore store) {
    this.dir = dir;
    this.store = store;
  }

  /** A fresh, empty store in a new temporary directory, removed by {@link #close}. */
  public static LocalRecords open() throws IOException, StoreException {
    Path dir = Files.createTempDirectory("bkv-local-records");
    return new LocalRecords(dir, RecordStore.open(dir.resolve("db"),
        RecordStore.DEFAULT_AUDIT_CAPACITY));
  }

  /** Queues {@code fault} for the next commit that has none queued before it. */
  public synchronized void failNext(Fault fault) {
    faults.add(fault);
  }

  @Override
  public synchronized Committed commit(Command command) throws ReplicationException {
    Fault fault = faults.poll();
    if (fault == Fault.UNAVAILABLE) {
      throw new ReplicationException("no majority (injected) for " + command.userId());
    }
    long at = ++index;
    Outcome o;
    try {
      o = store.apply(command, 1, at);
    } catch (StoreException e) {
      throw new ReplicationException("apply failed: " + e.getMessage(), e);
    }
    log.add(command);
    return new Committed(fault == Fault.REPLAYED ? Outcome.of(Outcome.Status.REPLAYED) : o, at);
  }

  @Override
  public synchronized UserState get(UserId user) throws ReplicationException {
    try {
      return store.get(user);
    } catch (StoreException e) {
      throw new ReplicationException("read failed: " + e.getMessage(), e);
    }
  }

  /** Every command applied so far, in log order. */
  public synchronized List<Command> log() {
    return List.copyOf(log);
  }

  /** The commands of one kind applied so far for {@code user}. */
  public synchronized long count(Class<? extends Command> kind, UserId user) {
    return log.stream().filter(c -> kind.isInstance(c) && c.userId().equals(user)).count();
  }

  @Override
  public synchronized void close() {
    store.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
