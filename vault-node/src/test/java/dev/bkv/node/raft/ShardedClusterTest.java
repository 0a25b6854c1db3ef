package dev.bkv.node.raft;

import static dev.bkv.node.raft.FailoverClusterTest.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.node.store.Command;
import dev.bkv.node.store.Outcome;
import dev.bkv.node.store.Outcome.Status;
import dev.bkv.node.store.UserId;
import dev.bkv.node.store.UserState;
import dev.bkv.node.testing.Polling;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three member processes hosting four shards: users spread over all groups, a leader kill in
 * one shard while concurrent guesses race for one user, a restart that catches up every shard,
 * and a restart of the whole fleet that keeps every record and counter.
 */
class ShardedClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int SHARDS = 4;

  @TempDir Path root;
  private long clock = 1_000;

  @Test
  void shardsSurviveLeaderKillAndFullRestart() throws Exception {
    try (LocalCluster cluster = new LocalCluster(root, 3, SHARDS, Map.of())) {
      cluster.startAll();
      Map<UserId, Integer> acked = new LinkedHashMap<>();
      List<UserId> users = new ArrayList<>();
      Set<Integer> shardsUsed = new TreeSet<>();
      try (ReplicatedStore store = new ReplicatedStore(cluster.clientConfig(500))) {
        for (int i = 0; i < 24; i++) {
          UserId u = user("sharded-" + i);
          users.add(u);
          shardsUsed.add(store.shards().shardOf(u));
          assertEquals(Status.OK, submit(store, register(u, 10)).status());
          for (int k = 0; k < i % 4; k++) {
            assertEquals(Status.OK, submit(store, new Command.Attempt(u, ++clock)).status());
          }
          acked.put(u, i % 4);
        }
        assertEquals(Set.of(0, 1, 2, 3), shardsUsed, "users landed in every shard");

        // 50 concurrent guesses for one user while the leader of its shard is killed.
        UserId target = user("guessed");
        int shard = store.shards().shardOf(target);
        assertEquals(Status.OK, submit(store, register(target, 10)).status());
        String leader = Polling.value(WAIT, "leader of shard " + shard,
            () -> store.leaderOf(shard).orElse(null));
        List<Outcome> outcomes = guessConcurrentlyWhileKilling(cluster, store, target, leader);
        List<Integer> counted = outcomes.stream().filter(o -> o.status() == Status.OK)
            .map(o -> o.record().orElseThrow().attemptsUsed()).sorted().toList();
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), counted,
            "each of the 10 allowed attempts acknowledged exactly once");
        assertEquals(40, outcomes.stream().filter(o -> o.status() == Status.LOCKED).count());
        assertInstanceOf(UserState.Locked.class, store.get(target));

        for (UserId u : users) {
          assertEquals(Status.OK, submit(store, new Command.Attempt(u, ++clock)).status());
          acked.merge(u, 1, Integer::sum);
        }
        cluster.start(leader);
        for (int s = 0; s < SHARDS; s++) {
          int sh = s;
          String lead = Polling.value(WAIT, "leader of " + s, () -> store.leaderOf(sh)
              .orElse(null));
          long applied = store.status(lead, s).appliedIndex();
          Polling.until(WAIT, leader + " caught up in shard " + s,
              () -> store.status(leader, sh).appliedIndex() >= applied);
        }
        for (UserId u : users) {
          assertEquals((int) acked.get(u), present(store.getFrom(leader, u)), "at " + leader);
        }
        assertInstanceOf(UserState.Locked.class, store.getFrom(leader, target));
      }

      // Whole-fleet restart: every record and counter is still there.
      for (String id : cluster.ids()) {
        cluster.stop(id);
      }
      cluster.startAll();
      try (ReplicatedStore store = new ReplicatedStore(cluster.clientConfig(500))) {
        for (int s = 0; s < SHARDS; s++) {
          int sh = s;
          Polling.value(WAIT, "leader of shard " + s + " after restart",
              () -> store.leaderOf(sh).orElse(null));
        }
        for (UserId u : users) {
          assertEquals((int) acked.get(u), present(store.get(u)), "after restart " + u);
        }
        assertInstanceOf(UserState.Locked.class, store.get(user("guessed")));
        UserId first = users.get(0);
        Outcome o = submit(store, new Command.Attempt(first, ++clock));
        assertEquals(acked.get(first) + 1, o.record().orElseThrow().attemptsUsed());
        for (String id : cluster.ids()) {
          ReplicaStatus s = store.status(id, store.shards().shardOf(first));
          assertTrue(s.snapshotIndex() > 0, "snapshot taken on stop at " + id + ": " + s);
        }
      }
    }
  }

  private List<Outcome> guessConcurrentlyWhileKilling(LocalCluster cluster, ReplicatedStore store,
      UserId target, String leader) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<Outcome>> futures = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        long t = ++clock;
        futures.add(pool.submit(() -> store.submit(new Command.Attempt(target, t))));
        if (i == 5) {
          cluster.kill(leader);
        }
      }
      List<Outcome> out = new ArrayList<>();
      for (Future<Outcome> f : futures) {
        out.add(f.get());
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private Command.Register register(UserId u, int limit) {
    return new Command.Register(u, ++clock, 1, limit, new byte[] {1}, new byte[] {2}, new byte[0]);
  }

  private static Outcome submit(ReplicatedStore store, Command c) throws Exception {
    return store.submit(c);
  }

  private static int present(UserState s) {
    return assertInstanceOf(UserState.Present.class, s).record().attemptsUsed();
  }
}
