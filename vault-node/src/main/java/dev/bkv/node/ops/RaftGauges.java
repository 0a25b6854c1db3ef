package dev.bkv.node.ops;

import dev.bkv.node.raft.ReplicaServer;
import dev.bkv.node.raft.ShardProgress;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Raft gauges per shard, read from the member's Raft server at each scrape: role (one gauge
 * per role, 1 for the current one), term, commit and applied index, snapshot index and age,
 * whether a leader is known, and per peer its last reported commit index and, on the leader,
 * its match index and lag. A figure that cannot be read right now is NaN.
 */
public final class RaftGauges {
  static final List<String> ROLES = List.of("LEADER", "FOLLOWER", "CANDIDATE", "LISTENER");

  private RaftGauges() {}

  public static void register(MeterRegistry registry, ReplicaServer replica, List<String> peers,
      Clock clock) {
    for (int i = 0; i < replica.shards().count(); i++) {
      Progress replicaShard = new Progress(replica, i);
      String s = Integer.toString(i);
      for (String role : ROLES) {
        gauge(registry, "bkv.raft.role", "1 for this member's current role in the shard",
            replicaShard, p -> p.role().equals(role) ? 1 : 0, "shard", s, "role",
            role.toLowerCase(java.util.Locale.ROOT));
      }
      gauge(registry, "bkv.raft.leader.known", "1 if this member knows the shard's leader",
          replicaShard, p -> p.hasLeader() ? 1 : 0, "shard", s);
      gauge(registry, "bkv.raft.rejoining", "1 while this member rejoins the shard after "
          + "losing its storage (no vote until caught up)", replicaShard,
          p -> p.rejoining() ? 1 : 0, "shard", s);
      gauge(registry, "bkv.raft.term", "current term", replicaShard, ShardProgress::term,
          "shard", s);
      gauge(registry, "bkv.raft.commit.index", "last index known committed", replicaShard,
          ShardProgress::commitIndex, "shard", s);
      gauge(registry, "bkv.raft.applied.index", "last index applied to the state machine",
          replicaShard, ShardProgress::appliedIndex, "shard", s);
      gauge(registry, "bkv.raft.snapshot.index", "index of the latest snapshot (-1: none)",
          replicaShard, ShardProgress::snapshotIndex, "shard", s);
      gauge(registry, "bkv.raft.snapshot.age.seconds", "seconds since the latest snapshot "
          + "was written (NaN: none)", replicaShard, p -> p.snapshotMillis() < 0 ? Double.NaN
          : (clock.millis() - p.snapshotMillis()) / 1000.0, "shard", s);
      for (String peer : peers) {
        gauge(registry, "bkv.raft.peer.commit.index", "commit index last reported for the peer",
            replicaShard, p -> p.peerCommitIndex().getOrDefault(peer, -1L), "shard", s,
            "peer", peer);
        gauge(registry, "bkv.raft.peer.match.index", "last entry the leader knows the peer "
            + "holds (leader only; NaN elsewhere)", replicaShard, p -> {
              Long m = p.peerMatchIndex().get(peer);
              return m == null ? Double.NaN : m;
            }, "shard", s, "peer", peer);
        gauge(registry, "bkv.raft.peer.lag", "committed entries the peer does not hold yet, by "
            + "its match index (leader only; NaN elsewhere)", replicaShard, p -> {
              Long lag = p.peerLag(peer);
              return lag == null ? Double.NaN : lag;
            }, "shard", s, "peer", peer);
      }
    }
  }

  private static void gauge(MeterRegistry registry, String name, String help,
      Progress progress, ToDoubleFunction<ShardProgress> f, String... tags) {
    Gauge.builder(name, progress, p -> {
      ShardProgress now = p.get();
      return now == null ? Double.NaN : f.applyAsDouble(now);
    }).description(help).tags(tags).strongReference(true).register(registry);
  }

  /**
   * One shard's progress, read at most every {@value #FRESH_MS} ms: a scrape reads each of the
   * shard's gauges from one reading instead of asking the Raft server once per gauge.
   */
  private static final class Progress {
    static final long FRESH_MS = 200;
    private final ReplicaServer replica;
    private final int shard;
    private long readAt;
    private ShardProgress last;

    Progress(ReplicaServer replica, int shard) {
      this.replica = replica;
      this.shard = shard;
    }

    synchronized ShardProgress get() {
      long now = System.nanoTime();
      if (last == null || now - readAt > TimeUnit.MILLISECONDS.toNanos(FRESH_MS)) {
        try {
          last = replica.progress(shard);
        } catch (IOException | RuntimeException e) {
          last = null; // not hosted (yet or any more): every gauge says NaN
        }
        readAt = now;
      }
      return last;
    }
  }
}
