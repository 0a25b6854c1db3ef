package dev.bkv.node.raft;

import java.util.Map;

/**
 * What this member's Raft server knows of one shard right now, for operators.
 *
 * @param shard shard number
 * @param role {@code LEADER}, {@code FOLLOWER}, {@code CANDIDATE} or {@code LISTENER}
 * @param leader the leader's member id as this member knows it ("" if none)
 * @param term current term
 * @param commitIndex last log index this member knows to be committed
 * @param appliedIndex last log index its state machine applied
 * @param snapshotIndex index of its latest snapshot (-1 if none)
 * @param snapshotMillis when that snapshot was written (epoch millis; -1 if none)
 * @param peerCommitIndex member id → the commit index last reported for it (this member
 *     included; the leader's figures are the fresh ones)
 */
public record ShardProgress(int shard, String role, String leader, long term, long commitIndex,
    long appliedIndex, long snapshotIndex, long snapshotMillis,
    Map<String, Long> peerCommitIndex) {
  public ShardProgress {
    peerCommitIndex = Map.copyOf(peerCommitIndex);
  }

  public boolean hasLeader() {
    return !leader.isEmpty();
  }
}
