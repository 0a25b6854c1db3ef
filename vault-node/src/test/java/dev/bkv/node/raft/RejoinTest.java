package dev.bkv.node.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.node.store.Command;
import dev.bkv.node.store.Outcome;
import dev.bkv.node.store.Outcome.Status;
import dev.bkv.node.store.UserId;
import dev.bkv.node.store.UserState;
import dev.bkv.node.testing.Polling;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.ratis.util.FileUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Members that lost their data directory and restart with the same config (a replaced disk):
 * they catch up under the leader that was leading, do not vote until they have, and no
 * acknowledged attempt or lockout is lost.
 */
class RejoinTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Map<String, String> TUNING = Map.of(
      "node.snapshot.threshold", "100",
      "node.raft.server.log.segment.size.max", "16KB");

  @TempDir Path root;
  private final AtomicLong clock = new AtomicLong(1_000);
  private final Map<UserId, Integer> acked = new ConcurrentHashMap<>();

  @Test
  void wipedFollowerCatchesUpUnderTheSameLeaderWhileTrafficRunsThenTheFleetSurvivesALoss()
      throws Exception {
    try (LocalCluster cluster = new LocalCluster(root, 3, 1, TUNING);
        ReplicatedStore store = startAndConnect(cluster)) {
      // -Dbkv.test.rejoin.users=N measures a larger catch-up.
      List<UserId> users = register(store, Integer.getInteger("bkv.test.rejoin.users", 400),
          1000);
      String leader = leader(store);
      String wiped = followers(cluster, leader).get(0);
      cluster.kill(wiped);
      FileUtils.deleteFully(cluster.dataDir(wiped).toFile());

      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong during = new AtomicLong();
      Thread traffic = new Thread(() -> {
        Random r = new Random(7);
        while (!stop.get()) {
          UserId u = users.get(r.nextInt(users.size()));
          try {
            attempt(store, u);
            during.incrementAndGet();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
      }, "traffic");
      long started = System.nanoTime();
      cluster.start(wiped);
      traffic.start();
      Polling.until(WAIT, wiped + " votes again", () -> cluster.log(wiped)
          .contains("votes again in shard 0"));
      long caughtUpMs = (System.nanoTime() - started) / 1_000_000;
      stop.set(true);
      traffic.join();
      assertEquals(leader, leader(store), "the same leader throughout");
      ReplicaStatus back = store.status(wiped, 0);
      assertTrue(back.snapshotsInstalled() >= 1, "installed a snapshot: " + back);
      System.out.printf("rejoin: %s caught up under leader %s in %d ms with %d writes running; "
          + "leader snapshot %d bytes at index %d; %s%n", wiped, leader, caughtUpMs,
          during.get(), snapshotBytes(cluster.dataDir(leader)),
          store.status(leader, 0).snapshotIndex(), back);

      // The rejoined member now counts: lose the leader, and the other two serve.
      cluster.kill(leader);
      for (UserId u : users.subList(0, 20)) {
        attempt(store, u);
      }
      String next = leader(store);
      assertTrue(!next.equals(leader), "a new leader: " + next);
      assertCounts(store, users, null);
      assertCounts(store, users, wiped);
    }
  }

  @Test
  void aWipedMemberNeverHelpsElectALeaderThatLacksAcknowledgedAttempts() throws Exception {
    long seed = Long.getLong("bkv.test.seed", System.nanoTime());
    Random r = new Random(seed);
    System.out.println("rejoin safety: seed " + seed);
    try (LocalCluster cluster = new LocalCluster(root, 3, 1, TUNING);
        ReplicatedStore store = startAndConnect(cluster)) {
      List<UserId> users = register(store, 10 + r.nextInt(20), 5);
      String a = leader(store);
      List<String> followers = followers(cluster, a);
      String lagging = followers.get(r.nextInt(2));
      String wiped = followers.stream().filter(f -> !f.equals(lagging)).findFirst()
          .orElseThrow();

      // The lagging member misses attempts and a lockout acknowledged by the leader and the
      // member whose disk is then lost.
      cluster.kill(lagging);
      for (UserId u : users) {
        for (int i = r.nextInt(4); i > 0; i--) {
          attempt(store, u);
        }
      }
      UserId victim = user("victim");
      assertEquals(Status.OK, register(store, victim, 2).status());
      attempt(store, victim);
      attempt(store, victim);
      assertEquals(Status.LOCKED, store.submit(new Command.Attempt(victim, clock
          .incrementAndGet())).status());

      cluster.kill(a);
      cluster.kill(wiped);
      FileUtils.deleteFully(cluster.dataDir(wiped).toFile());
      List<String> back = new ArrayList<>(List.of(lagging, wiped));
      if (r.nextBoolean()) {
        back = List.of(wiped, lagging);
      }
      cluster.startTogether(back);
      // The lagging member asks the wiped one for its vote and is refused: with it, the
      // lagging member would lead without the acknowledged attempts.
      Polling.until(WAIT, wiped + " refuses a vote", () -> cluster.log(wiped)
          .contains("vote or election requests while rejoining"));
      assertTrue(!cluster.log(wiped).contains("votes again"), "still rejoining");

      cluster.start(a);
      leader(store);
      assertCounts(store, users, null);
      assertInstanceOf(UserState.Locked.class, store.get(victim));
      Polling.until(WAIT, wiped + " votes again", () -> cluster.log(wiped)
          .contains("votes again in shard 0"));
      assertCounts(store, users, wiped);
      assertInstanceOf(UserState.Locked.class, store.getFrom(wiped, victim));
    }
  }

  /**
   * Pins the Ratis 3.2 behaviour bkv works around (LostLogAppender): with Ratis' own gRPC log
   * appender, a leader that keeps leading never sends a wiped follower anything but heartbeats,
   * however often the follower answers that it holds nothing.
   */
  @Test
  void withRatisOwnAppenderTheSameLeaderNeverCatchesUpAWipedFollower() throws Exception {
    Map<String, String> stock = new java.util.HashMap<>(TUNING);
    stock.put("node.raft.rpc.type", "GRPC");
    try (LocalCluster cluster = new LocalCluster(root, 3, 1, stock);
        ReplicatedStore store = startAndConnect(cluster)) {
      register(store, 150, 10);
      String leader = leader(store);
      String wiped = followers(cluster, leader).get(0);
      cluster.kill(wiped);
      FileUtils.deleteFully(cluster.dataDir(wiped).toFile());
      cluster.start(wiped);
      // Ratis logs the first INCONSISTENCY reply, then a count of the repeats every 5 s.
      Polling.until(WAIT, "repeated INCONSISTENCY replies at " + leader, () -> cluster.log(leader)
          .lines().anyMatch(l -> l.contains("INCONSISTENCY reply with nextIndex 0")
              && l.contains("Repeated")));
      assertEquals(leader, leader(store));
      boolean empty;
      try {
        empty = store.status(wiped, 0).appliedIndex() < 0;
      } catch (ReplicationException e) {
        empty = e.getMessage().contains("commit index = -1");
      }
      assertTrue(empty, wiped + " received nothing");
    }
  }

  private ReplicatedStore startAndConnect(LocalCluster cluster) throws Exception {
    cluster.startAll();
    return new ReplicatedStore(cluster.clientConfig(500));
  }

  private List<UserId> register(ReplicatedStore store, int n, int limit) throws Exception {
    List<UserId> users = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    List<Exception> failed = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int t = 0; t < 4; t++) {
      List<UserId> mine = new ArrayList<>();
      for (int i = t; i < n; i += 4) {
        mine.add(user("user-" + i));
      }
      users.addAll(mine);
      Thread th = new Thread(() -> {
        try {
          for (UserId u : mine) {
            assertEquals(Status.OK, register(store, u, limit).status());
            acked.put(u, 0);
          }
        } catch (Exception e) {
          failed.add(e);
        }
      });
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      th.join();
    }
    assertTrue(failed.isEmpty(), failed.toString());
    return users;
  }

  private Outcome register(ReplicatedStore store, UserId u, int limit) throws Exception {
    return store.submit(new Command.Register(u, clock.incrementAndGet(), 1, limit,
        new byte[] {1, 2, 3}, new byte[] {4, 5, 6}, new byte[0]));
  }

  private void attempt(ReplicatedStore store, UserId u) throws Exception {
    Outcome o = store.submit(new Command.Attempt(u, clock.incrementAndGet()));
    assertEquals(Status.OK, o.status(), "attempt for " + u);
    int used = acked.merge(u, 1, Integer::sum);
    assertEquals(used, o.record().orElseThrow().attemptsUsed(), "count for " + u);
  }

  /** Every acknowledged count, read linearizably ({@code member} null) or from {@code member}. */
  private void assertCounts(ReplicatedStore store, List<UserId> users, String member)
      throws Exception {
    for (UserId u : users) {
      Polling.until(WAIT, "count of " + u + " at " + member, () -> {
        UserState s = member == null ? store.get(u) : store.getFrom(member, u);
        return s instanceof UserState.Present p && p.record().attemptsUsed() == acked.get(u);
      });
    }
  }

  private static String leader(ReplicatedStore store) throws Exception {
    return Polling.value(WAIT, "a leader", () -> store.leaderOf(0).orElse(null));
  }

  private static List<String> followers(LocalCluster cluster, String leader) {
    return cluster.ids().stream().filter(id -> !id.equals(leader)).toList();
  }

  private static long snapshotBytes(Path memberDir) throws Exception {
    Path latest;
    try (Stream<Path> s = Files.walk(memberDir)) {
      latest = s.filter(p -> p.getFileName().toString().startsWith("snapshot.")
              && p.getParent().getFileName().toString().equals("snapshots"))
          .max(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString()
              .substring(p.getFileName().toString().indexOf('_') + 1)))).orElse(null);
    }
    if (latest == null) {
      return -1;
    }
    try (Stream<Path> s = Files.walk(latest)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  static UserId user(String name) {
    return new UserId(name.getBytes(StandardCharsets.UTF_8));
  }
}
