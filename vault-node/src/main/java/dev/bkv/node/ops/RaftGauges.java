package dev.bkv.node.ops;

import dev.bkv.node.raft.ReplicaServer;
import dev.bkv.node.raft.ShardProgress;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Raft gauges per shard, read from the member's Raft server at each scrape: role (one gauge
 * per role, 1 for the current one), term, commit and applied index, snapshot index and age,
 * whether a leader is known, and per peer its last reported commit index and how far it lags
 * this member's. A figure that cannot be read right now is NaN.
 */
public final class RaftGauges {
  static final List<String> ROLES = List.of("LEADER", "FOLLOWER", "CANDIDATE", "LISTENER");

  private RaftGauges() {}

  public static void register(MeterRegistry registry, ReplicaServer replica, List<String> peers,
      Clock clock) {
    for (int i = 0; i < replica.shards().count(); i++) {
      int shard = i;
      String s = Integer.toString(i);
      for (String role : ROLES) {
        gauge(registry, "bkv.raft.role", "1 for this member's current role in the shard",
            replica, shard, p -> p.role().equals(role) ? 1 : 0, "shard", s, "role",
            role.toLowerCase(java.util.Locale.ROOT));
      }
      gauge(registry, "bkv.raft.leader.known", "1 if this member knows the shard's leader",
          replica, shard, p -> p.hasLeader() ? 1 : 0, "shard", s);
      gauge(registry, "bkv.raft.term", "current term", replica, shard, ShardProgress::term,
          "shard", s);
      gauge(registry, "bkv.raft.commit.index", "last index known committed", replica, shard,
          ShardProgress::commitIndex, "shard", s);
      gauge(registry, "bkv.raft.applied.index", "last index applied to the state machine",
          replica, shard, ShardProgress::appliedIndex, "shard", s);
      gauge(registry, "bkv.raft.snapshot.index", "index of the latest snapshot (-1: none)",
          replica, shard, ShardProgress::snapshotIndex, "shard", s);
      gauge(registry, "bkv.raft.snapshot.age.seconds", "seconds since the latest snapshot "
          + "was written (NaN: none)", replica, shard, p -> p.snapshotMillis() < 0 ? Double.NaN
          : (clock.millis() - p.snapshotMillis()) / 1000.0, "shard", s);
      for (String peer : peers) {
        gauge(registry, "bkv.raft.peer.commit.index", "commit index last reported for the peer",
            replica, shard, p -> p.peerCommitIndex().getOrDefault(peer, -1L), "shard", s,
            "peer", peer);
        gauge(registry, "bkv.raft.peer.lag", "entries the peer's commit index trails this "
            + "member's (fresh on the leader)", replica, shard, p -> {
              Long c = p.peerCommitIndex().get(peer);
              return c == null ? Double.NaN : Math.max(0, p.commitIndex() - c);
            }, "shard", s, "peer", peer);
      }
    }
  }

  private static void gauge(MeterRegistry registry, String name, String help,
      ReplicaServer replica, int shard, ToDoubleFunction<ShardProgress> f, String... tags) {
    Gauge.builder(name, replica, r -> {
      try {
        return f.applyAsDouble(r.progress(shard));
      } catch (IOException | RuntimeException e) {
        return Double.NaN;
      }
    }).description(help).tags(tags).register(registry);
  }
}
