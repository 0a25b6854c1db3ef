package dev.bkv.node.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bkv.node.store.Command;
import dev.bkv.node.store.Outcome.Status;
import dev.bkv.node.store.UserId;
import dev.bkv.node.testing.Polling;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.ratis.util.FileUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reproduction: a follower whose data directory was wiped, under the same leader. */
class WipedFollowerTest {
  @TempDir Path root;
  private long clock = 1_000;

  @Test
  void wipedFollowerCatchesUpUnderTheSameLeader() throws Exception {
    Map<String, String> tuning = Map.of(
        "node.snapshot.threshold", "40",
        "node.raft.server.log.segment.size.max", "4KB",
        "node.raft.server.log.purge.gap", "4");
    try (LocalCluster cluster = new LocalCluster(root, 3, 1, tuning)) {
      cluster.startAll();
      try (ReplicatedStore store = new ReplicatedStore(cluster.clientConfig(500))) {
        for (int i = 0; i < 100; i++) {
          assertEquals(Status.OK, store.submit(new Command.Register(user("u" + i), ++clock, 1,
              10, new byte[] {1}, new byte[] {2}, new byte[0])).status());
        }
        String leader = Polling.value(Duration.ofSeconds(30), "leader",
            () -> store.leaderOf(0).orElse(null));
        String wiped = cluster.ids().stream().filter(id -> !id.equals(leader)).findFirst()
            .orElseThrow();
        cluster.kill(wiped);
        FileUtils.deleteFully(cluster.dataDir(wiped).toFile());
        cluster.start(wiped);
        long target = store.status(leader, 0).appliedIndex();
        Polling.until(Duration.ofSeconds(40), wiped + " caught up", () ->
            store.status(wiped, 0).appliedIndex() >= target);
        assertEquals(leader, store.leaderOf(0).orElseThrow());
      }
    }
  }

  static UserId user(String name) {
    return new UserId(name.getBytes(StandardCharsets.UTF_8));
  }
}
