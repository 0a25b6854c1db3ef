package dev.bkv.node.raft.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.ratis.grpc.server.GrpcLogAppender;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.leader.FollowerInfo;
import org.apache.ratis.server.leader.LeaderState;

/**
 * Ratis' gRPC log appender, plus what a leader must do when a follower has lost its log (a
 * wiped or replaced disk, same member id): start over from what the follower now has.
 *
 * <p>Ratis 3.2 keeps each follower's match index as a high-water mark for the leader's term
 * ({@code FollowerInfo.updateMatchIndex} only raises it), and on an {@code INCONSISTENCY} reply
 * it sets the next index to at least match index + 1. A follower that restarts empty under the
 * same leader answers "next index 0"; the leader sets it back to its old match index + 1, which
 * is its own next index, so it neither sends entries nor a snapshot, only heartbeats, and the
 * follower answers "next index 0" forever. Only a new leader (fresh follower records) got it
 * going. Here, a follower that says it holds fewer entries than it acknowledged has its match
 * and next index reset to what it holds, and the normal rules then send it the log, or the
 * snapshot if the log it needs is purged.
 *
 * <p>Lowering the match index is safe: the leader's commit index never goes back, and entries
 * the follower no longer has stop counting towards a majority until it acknowledges them anew.
 */
public final class LostLogAppender extends GrpcLogAppender {
  private static final System.Logger LOG = System.getLogger(LostLogAppender.class.getName());

  /** Each leader division's followers, for operators' match indexes. */
  private static final Map<RaftGroupMemberId, Map<String, FollowerInfo>> FOLLOWERS =
      new ConcurrentHashMap<>();

  public LostLogAppender(RaftServer.Division server, LeaderState leaderState, FollowerInfo f) {
    super(server, leaderState, f);
    FOLLOWERS.computeIfAbsent(server.getMemberId(), k -> new ConcurrentHashMap<>())
        .put(f.getId().toString(), f);
  }

  /**
   * Member id → match index of each follower of {@code leader}, as its current appenders see
   * them (meaningful only while {@code leader} leads).
   */
  public static Map<String, Long> matchIndexes(RaftGroupMemberId leader) {
    Map<String, FollowerInfo> f = FOLLOWERS.getOrDefault(leader, Map.of());
    Map<String, Long> out = new HashMap<>();
    f.forEach((id, info) -> out.put(id, info.getMatchIndex()));
    return out;
  }

  @Override
  protected long getNextIndexForInconsistency(long requestFirstIndex, long replyNextIndex) {
    FollowerInfo f = getFollower();
    long match = f.getMatchIndex();
    if (replyNextIndex >= 0 && replyNextIndex <= match) {
      LOG.log(System.Logger.Level.WARNING, "{0}: follower {1} holds entries up to {2} but had "
          + "acknowledged {3}: it lost its log; it gets the log from index {4}, or a snapshot "
          + "if that is purged", getServer().getMemberId(), f.getId(), replyNextIndex - 1, match,
          replyNextIndex);
      // Sets match index to replyNextIndex - 1 and next index to replyNextIndex.
      f.setSnapshotIndex(replyNextIndex - 1);
      return replyNextIndex;
    }
    return super.getNextIndexForInconsistency(requestFirstIndex, replyNextIndex);
  }
}
