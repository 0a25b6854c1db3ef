package dev.bkv.node.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three member processes, one shard: acknowledged writes survive a SIGKILL of the leader, the
 * counters equal the acknowledged attempts exactly, and a member that missed enough of the log
 * catches up by installing a snapshot.
 */
class FailoverClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path root;

  private final Map<UserId, Integer> acked = new LinkedHashMap<>();
  private long clock = 1_000;

  @Test
  void leaderKillLosesNothingAndTheKilledMemberCatchesUpFromASnapshot() throws Exception {
    Map<String, String> tuning = Map.of(
        "node.snapshot.threshold", "40",
        "node.raft.server.log.segment.size.max", "4KB",
        "node.raft.server.log.purge.gap", "4");
    try (LocalCluster cluster = new LocalCluster(root, 3, 1, tuning)) {
      cluster.startAll();
      try (ReplicatedStore store = new ReplicatedStore(cluster.clientConfig(500))) {
        List<UserId> users = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
          UserId u = user("user-" + i);
          users.add(u);
          assertEquals(Status.OK, register(store, u, 10).status());
          acked.put(u, 0);
        }
        attemptRound(store, users, 2);

        String leader = Polling.value(WAIT, "a leader", () -> store.leaderOf(0).orElse(null));
        long beforeKill = store.status(leader, 0).appliedIndex();
        cluster.kill(leader);
        long killedAt = System.nanoTime();
        // Writes right after the kill block until a new leader commits them.
        attemptRound(store, users, 1);
        System.out.printf("failover: first round of %d attempts after SIGKILL took %d ms%n",
            users.size(), (System.nanoTime() - killedAt) / 1_000_000);
        String next = Polling.value(WAIT, "a new leader", () -> store.leaderOf(0)
            .filter(l -> !l.equals(leader)).orElse(null));
        assertNotEquals(leader, next);
        assertCounters(store, users);

        // Lockout on the surviving majority: the record is gone on every live replica.
        UserId victim = user("victim");
        register(store, victim, 3);
        for (int i = 1; i <= 3; i++) {
          assertEquals(i, attempt(store, victim).record().orElseThrow().attemptsUsed());
        }
        assertEquals(Status.LOCKED, attempt(store, victim).status());
        for (String id : cluster.ids()) {
          if (!id.equals(leader)) {
            Polling.until(WAIT, "lockout visible at " + id,
                () -> store.getFrom(id, victim) instanceof UserState.Locked);
          }
        }

        // Enough traffic while the old leader is down for snapshots and a log purge.
        attemptRound(store, users, 5);
        for (int i = 0; i < 40; i++) {
          UserId u = user("late-" + i);
          users.add(u);
          assertEquals(Status.OK, register(store, u, 10).status());
          acked.put(u, 0);
        }
        long snapshotAtLeader = store.status(next, 0).snapshotIndex();
        assertTrue(snapshotAtLeader > beforeKill + 40, "leader snapshot at " + snapshotAtLeader);

        cluster.start(leader);
        long target = store.status(next, 0).appliedIndex();
        Polling.until(WAIT, leader + " caught up", () ->
            store.status(leader, 0).appliedIndex() >= target);
        ReplicaStatus back = store.status(leader, 0);
        System.out.println("restarted " + leader + ": " + back + "; leader snapshot at "
            + snapshotAtLeader + ", killed at applied " + beforeKill);
        assertTrue(back.snapshotsInstalled() >= 1, "restarted member status " + back);
        for (UserId u : users) {
          UserState s = store.getFrom(leader, u);
          assertEquals((int) acked.get(u), assertInstanceOf(UserState.Present.class, s).record()
              .attemptsUsed(), "replica " + leader + " " + u);
        }
        assertInstanceOf(UserState.Locked.class, store.getFrom(leader, victim));
        assertTrue(hasSnapshotDir(cluster.dataDir(leader)), "snapshot on disk at " + leader);
        assertCounters(store, users);
      }
    }
  }

  private void attemptRound(ReplicatedStore store, List<UserId> users, int perUser)
      throws Exception {
    for (int k = 0; k < perUser; k++) {
      for (UserId u : users) {
        Outcome o = attempt(store, u);
        assertEquals(Status.OK, o.status(), "attempt for " + u);
        int used = acked.merge(u, 1, Integer::sum);
        assertEquals(used, o.record().orElseThrow().attemptsUsed(), "count for " + u);
      }
    }
  }

  private void assertCounters(ReplicatedStore store, List<UserId> users) throws Exception {
    for (UserId u : users) {
      UserState s = store.get(u);
      assertEquals((int) acked.get(u), assertInstanceOf(UserState.Present.class, s).record()
          .attemptsUsed(), "linearizable count for " + u);
    }
  }

  private Outcome register(ReplicatedStore store, UserId u, int limit) throws Exception {
    return store.submit(new Command.Register(u, ++clock, 1, limit, new byte[] {1, 2, 3},
        new byte[] {4, 5, 6}, new byte[0]));
  }

  private Outcome attempt(ReplicatedStore store, UserId u) throws Exception {
    return store.submit(new Command.Attempt(u, ++clock));
  }

  static UserId user(String name) {
    return new UserId(name.getBytes(StandardCharsets.UTF_8));
  }

  private static boolean hasSnapshotDir(Path memberDir) throws Exception {
    try (Stream<Path> s = Files.walk(memberDir)) {
      return s.anyMatch(p -> p.getFileName().toString().startsWith("snapshot.")
          && p.getParent().getFileName().toString().equals("snapshots"));
    }
  }
}
