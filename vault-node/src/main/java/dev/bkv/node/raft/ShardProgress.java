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
 * @param rejoining true while this member rejoins the shard after losing its storage: it
 *     receives the log but does not vote until it has caught up
 * @param peerCommitIndex member id → the commit index last reported for it (this member
 *     included; the leader's figures are the fresh ones)
 * @param peerMatchIndex on the leader only (empty elsewhere): each follower's match index,
 *     the last entry the leader knows it holds
 */
public record ShardProgress(int shard, String role, String leader, long term, long commitIndex,
    long appliedIndex, long snapshotIndex, long snapshotMillis, boolean rejoining,
    Map<String, Long> peerCommitIndex, Map<String, Long> peerMatchIndex) {
  public ShardProgress {
    peerCommitIndex = Map.copyOf(peerCommitIndex);
    peerMatchIndex = Map.copyOf(peerMatchIndex);
  }

  public boolean isLeader() {
    return role.equals("LEADER");
  }

  /**
   * How many committed entries {@code peer} is missing, by its match index (leader only);
   * null if this member does not lead or has no figure for it.
   */
  public Long peerLag(String peer) {
    Long m = peerMatchIndex.get(peer);
    return m == null ? null : Math.max(0, commitIndex - m);
  }

  public boolean hasLeader() {
    return !leader.isEmpty();
  }
}
