package dev.bkv.node.service;

import dev.bkv.evidence.ShareLayout;
import dev.bkv.node.store.BulkRecords;
import dev.bkv.node.store.RecordStore;
import dev.bkv.node.store.UserId;
import dev.bkv.recovery.SecretBytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.ratis.util.FileUtils;
import org.apache.ratis.util.MD5FileUtil;

/**
 * Loads many registered users into a development fleet faster than Raft can: with every member
 * stopped, the same records go straight into each member's record database, and each member is
 * left as a follower is after installing a snapshot, so Raft stays consistent:
 *
 * <ol>
 *   <li>the fleet is quiet (every member applied the same index, which is the commit index)
 *       and stops cleanly, so each member's latest snapshot is at that index {@code T_A};
 *   <li>the records are written into every member's database at applied position {@code A},
 *       unchanged ({@link BulkRecords}; generation {@code A}, as if registered before it);
 *   <li>each member's snapshots are replaced by one checkpoint of the loaded database named
 *       {@code snapshot.T_A} (checksummed like any), and its Raft log segments, which hold only
 *       entries at or below {@code A}, are removed: a member that needs the state from a peer
 *       (a lost disk) then gets this snapshot, never a replay of a log that lacks the records.
 * </ol>
 *
 * The records are computed in software with the development fleet's known keys ({@link
 * BulkRegistrations}); user {@code i} is {@link #user}, with {@link #password} and {@link
 * #backupKey}, so the benchmark can log in as any of them.
 */
final class BulkLoad {
  private static final Pattern SNAPSHOT = Pattern.compile("snapshot\\.(\\d+)_(\\d+)");
  private static final Pattern CLOSED_SEGMENT = Pattern.compile("log_(\\d+)-(\\d+)");
  private static final Pattern OPEN_SEGMENT = Pattern.compile("log_inprogress_(\\d+)");
  private static final int CHUNK = 1_000;

  private BulkLoad() {}

  static UserId user(long i) {
    return new UserId(("bulk-" + i).getBytes(StandardCharsets.UTF_8));
  }

  static byte[] password(long i) {
    return ("pw-" + i).getBytes(StandardCharsets.UTF_8);
  }

  /** User {@code i}'s backup key: SHA-256 of its name, so a recovery can be checked. */
  static SecretBytes backupKey(long i) throws Exception {
    return SecretBytes.copyOf(MessageDigest.getInstance("SHA-256")
        .digest(user(i).bytes()));
  }

  /**
   * Stops the fleet, adds users {@code from .. from+count-1} to every member, and starts it
   * again. Progress goes to standard output.
   */
  static void load(VaultFleet fleet, long from, long count, int threads) throws Exception {
    awaitQuiet(fleet);
    // The leader last: with it up, no follower starts an election (which would add an entry
    // to the log of some members and not others).
    List<String> order = new ArrayList<>(fleet.ids());
    for (String id : fleet.ids()) {
      if (VaultScaleBench.gauge(fleet, id, "bkv_raft_role", "role=\"leader\"") == 1) {
        order.remove(id);
        order.add(id);
      }
    }
    for (String id : order) {
      fleet.stop(id);
    }
    List<Path> sms = new ArrayList<>();
    String label = null;
    for (String id : fleet.ids()) {
      Path sm = stateMachineDir(fleet.dir(id).resolve("data"));
      String latest = latestSnapshot(sm);
      if (label != null && !label.equals(latest)) {
        throw new IllegalStateException("members stopped at different snapshots (" + label
            + ", " + latest + " at " + id + "): the fleet was not quiet");
      }
      label = latest;
      sms.add(sm);
    }
    Matcher m = SNAPSHOT.matcher(label);
    if (!m.matches()) {
      throw new IllegalStateException("no snapshot name in " + label);
    }
    RecordStore.Applied at = new RecordStore.Applied(Long.parseLong(m.group(1)),
        Long.parseLong(m.group(2)));
    List<BulkRecords> stores = new ArrayList<>();
    try {
      for (Path sm : sms) {
        BulkRecords b = BulkRecords.open(sm.resolve("db"));
        stores.add(b);
        if (!b.applied().equals(at)) {
          throw new IllegalStateException(sm + "/db is at " + b.applied() + ", its snapshot at "
              + at);
        }
      }
      write(fleet, stores, at.index(), from, count, threads);
    } finally {
      for (BulkRecords b : stores) {
        b.close();
      }
    }
    for (Path sm : sms) {
      replaceSnapshot(sm, label);
      purgeLog(sm.getParent().resolve("current"), at.index());
    }
    fleet.startAll();
  }

  private static void write(VaultFleet fleet, List<BulkRecords> stores, long generation,
      long from, long count, int threads) throws Exception {
    BulkRegistrations regs = new BulkRegistrations(fleet.secrets(),
        new ShareLayout(VaultFleet.FLEET, fleet.ids()), 1, 10);
    long time = System.currentTimeMillis();
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<BulkRegistrations.Registered>>> ahead = new ArrayList<>();
      long next = from;
      long end = from + count;
      long done = 0;
      while (done < count) {
        while (ahead.size() < threads * 2 && next < end) {
          long a = next;
          long b = Math.min(end, next + CHUNK);
          ahead.add(pool.submit(() -> {
            SecureRandom rng = new SecureRandom();
            List<BulkRegistrations.Registered> out = new ArrayList<>();
            for (long i = a; i < b; i++) {
              out.add(regs.register(user(i), password(i), backupKey(i), generation - 1, time,
                  rng));
            }
            return out;
          }));
          next = b;
        }
        for (BulkRegistrations.Registered r : ahead.remove(0).get()) {
          for (BulkRecords s : stores) {
            s.add(r.register(), generation, r.shares());
          }
          done++;
        }
        if (done % 100_000 == 0 || done == count) {
          System.out.printf("  bulk load: %,d of %,d records (%.0f s)%n", done, count,
              (System.nanoTime() - start) / 1e9);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Waits until every member applied the commit index, the same on all. */
  private static void awaitQuiet(VaultFleet fleet) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      Map<String, long[]> at = new TreeMap<>();
      for (String id : fleet.ids()) {
        at.put(id, new long[] {(long) VaultScaleBench.gauge(fleet, id, "bkv_raft_commit_index"),
            (long) VaultScaleBench.gauge(fleet, id, "bkv_raft_applied_index")});
      }
      long first = at.values().iterator().next()[1];
      if (first >= 0 && at.values().stream().allMatch(v -> v[0] == first && v[1] == first)) {
        return;
      }
      last = at.entrySet().stream().map(e -> e.getKey() + " commit " + e.getValue()[0]
          + " applied " + e.getValue()[1]).toList().toString();
      Thread.sleep(200);
    }
    throw new IllegalStateException("the fleet did not settle on one applied index: " + last);
  }

  /** The one shard's state machine directory under a member's data directory. */
  static Path stateMachineDir(Path dataDir) throws IOException {
    List<Path> sms;
    try (Stream<Path> s = Files.walk(dataDir, 4)) {
      sms = s.filter(p -> p.getFileName().toString().equals("sm") && Files.isDirectory(p))
          .toList();
    }
    if (sms.size() != 1) {
      throw new IllegalStateException("expected one shard under " + dataDir + ", found " + sms);
    }
    return sms.get(0);
  }

  private static String latestSnapshot(Path sm) throws IOException {
    try (Stream<Path> s = Files.list(sm.resolve("snapshots"))) {
      return s.map(p -> p.getFileName().toString()).filter(n -> SNAPSHOT.matcher(n).matches())
          .max((a, b) -> Long.compare(index(a), index(b)))
          .orElseThrow(() -> new IllegalStateException("no snapshot in " + sm
              + ": the member did not stop cleanly"));
    }
  }

  private static long index(String snapshot) {
    Matcher m = SNAPSHOT.matcher(snapshot);
    return m.matches() ? Long.parseLong(m.group(2)) : -1;
  }

  /** One checkpoint of the loaded database, checksummed, in place of every older snapshot. */
  private static void replaceSnapshot(Path sm, String label) throws Exception {
    Path work = sm.resolve("work").resolve(label);
    FileUtils.deleteFully(work.toFile());
    Files.createDirectories(work.getParent());
    try (RecordStore s = RecordStore.open(sm.resolve("db"), RecordStore.DEFAULT_AUDIT_CAPACITY)) {
      s.checkpoint(work);
    }
    try (Stream<Path> files = Files.list(work)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        MD5FileUtil.computeAndSaveMd5ForFile(f.toFile());
      }
    }
    try (Stream<Path> old = Files.list(sm.resolve("snapshots"))) {
      for (Path p : old.toList()) {
        FileUtils.deleteFully(p.toFile());
      }
    }
    Files.move(work, sm.resolve("snapshots").resolve(label), StandardCopyOption.ATOMIC_MOVE);
  }

  /** Removes the log segments: every entry in them is at or below the snapshot. */
  private static void purgeLog(Path current, long snapshotIndex) throws IOException {
    try (Stream<Path> s = Files.list(current)) {
      for (Path p : s.toList()) {
        String n = p.getFileName().toString();
        Matcher closed = CLOSED_SEGMENT.matcher(n);
        Matcher open = OPEN_SEGMENT.matcher(n);
        if (closed.matches() && Long.parseLong(closed.group(2)) <= snapshotIndex) {
          Files.delete(p);
        } else if (open.matches() && Long.parseLong(open.group(1)) <= snapshotIndex) {
          Files.delete(p);
        } else if (closed.matches() || open.matches()) {
          throw new IllegalStateException(p + " holds entries after the snapshot at "
              + snapshotIndex + ": the fleet was not quiet");
        }
      }
    }
  }
}
