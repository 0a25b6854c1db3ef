package dev.bkv.node.raft;

import dev.bkv.node.raft.internal.RaftSettings;
import dev.bkv.node.store.Command;
import dev.bkv.node.store.MalformedMessageException;
import dev.bkv.node.store.Outcome;
import dev.bkv.node.store.UserId;
import dev.bkv.node.store.UserState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;

/**
 * Client of the replicated record store: sends each command to the Raft group of the user's
 * shard. The Ratis client follows leader redirects and, after the configured request timeout,
 * fails over to another member; retries of one request reuse its call id, so the servers'
 * retry cache applies it at most once. A reply means a majority committed the command.
 *
 * <p>Thread-safe. Each request borrows a Ratis client used by one thread at a time: with the
 * Netty transport, concurrent blocking calls on one client can see a proxy that another
 * thread's failover just closed, and Ratis gives up on such calls instead of retrying them.
 */
public final class ReplicatedStore implements AutoCloseable {
  private static final int MAX_ATTEMPTS = 40;
  private static final TimeDuration RETRY_SLEEP = TimeDuration.valueOf(100, TimeUnit.MILLISECONDS);

  private final Shards shards;
  private final RaftProperties props;
  private final RetryPolicy retry;
  private final List<Deque<RaftClient>> idle = new ArrayList<>();
  private final List<RaftClient> all = new ArrayList<>();
  private boolean closed;

  public ReplicatedStore(NodeConfig config) {
    this.shards = new Shards(config.shards(), config.peers());
    this.props = RaftSettings.client(config);
    this.retry = RetryPolicies.retryUpToMaximumCountWithFixedSleep(MAX_ATTEMPTS, RETRY_SLEEP);
    for (int i = 0; i < shards.count(); i++) {
      idle.add(new ConcurrentLinkedDeque<>());
    }
  }

  private interface Call<T> {
    T call(RaftClient client) throws IOException;
  }

  /** Runs {@code call} on a client of {@code shard} that no other thread is using. */
  private <T> T with(int shard, Call<T> call) throws IOException {
    RaftClient c = idle.get(shard).pollFirst();
    if (c == null) {
      c = RaftClient.newBuilder().setProperties(props).setRaftGroup(shards.group(shard))
          .setRetryPolicy(retry).build();
      synchronized (all) {
        if (closed) {
          c.close();
          throw new IOException("replicated store is closed");
        }
        all.add(c);
      }
    }
    try {
      return call.call(c);
    } finally {
      idle.get(shard).offerFirst(c);
    }
  }

  public Shards shards() {
    return shards;
  }

  /** Commits {@code command} on a majority of the user's shard and returns its outcome. */
  public Outcome submit(Command command) throws ReplicationException {
    RaftClientReply reply;
    try {
      reply = with(shards.shardOf(command.userId()),
          c -> c.io().send(message(command.toBytes())));
    } catch (IOException e) {
      throw new ReplicationException("command for " + command.userId() + " not acknowledged: "
          + e.getMessage(), e);
    }
    return parse(reply, Outcome::parse, "outcome");
  }

  /** Linearizable read of a user's state (served by the shard leader after a read index). */
  public UserState get(UserId user) throws ReplicationException {
    try {
      return parse(with(shards.shardOf(user),
          c -> c.io().sendReadOnly(message(new Query.Get(user).toBytes()))),
          UserState::parse, "user state");
    } catch (IOException e) {
      throw new ReplicationException("read of " + user + " failed: " + e.getMessage(), e);
    }
  }

  /** A possibly stale read from one member's replica; for inspection and tests. */
  public UserState getFrom(String memberId, UserId user) throws ReplicationException {
    try {
      return parse(with(shards.shardOf(user), c -> c.io().sendStaleRead(
          message(new Query.Get(user).toBytes()), 0, RaftPeerId.valueOf(memberId))),
          UserState::parse, "user state");
    } catch (IOException e) {
      throw new ReplicationException("read of " + user + " at " + memberId + " failed: "
          + e.getMessage(), e);
    }
  }

  /** One member's progress in one shard. */
  public ReplicaStatus status(String memberId, int shard) throws ReplicationException {
    try {
      return parse(with(shard, c -> c.io().sendStaleRead(message(new Query.Status().toBytes()),
          0, RaftPeerId.valueOf(memberId))), ReplicaStatus::parse, "replica status");
    } catch (IOException e) {
      throw new ReplicationException("status of shard " + shard + " at " + memberId
          + " failed: " + e.getMessage(), e);
    }
  }

  /** The member that currently leads {@code shard}, asking each member for its role. */
  public Optional<String> leaderOf(int shard) {
    for (var peer : shards.group(shard).getPeers()) {
      try {
        GroupInfoReply info = with(shard, c -> c.getGroupManagementApi(peer.getId())
            .info(shards.group(shard).getGroupId()));
        if (info.getRoleInfoProto().getRole() == RaftPeerRole.LEADER) {
          return Optional.of(peer.getId().toString());
        }
      } catch (IOException e) {
        // That member is down or unreachable; ask the next one.
      }
    }
    return Optional.empty();
  }

  private static Message message(byte[] bytes) {
    return Message.valueOf(ByteString.copyFrom(bytes));
  }

  private interface Parser<T> {
    T parse(byte[] data) throws MalformedMessageException;
  }

  private static <T> T parse(RaftClientReply reply, Parser<T> parser, String what)
      throws ReplicationException {
    if (!reply.isSuccess()) {
      throw new ReplicationException("request failed: " + reply.getException(),
          reply.getException());
    }
    try {
      return parser.parse(reply.getMessage().getContent().toByteArray());
    } catch (MalformedMessageException e) {
      throw new ReplicationException("member sent a malformed " + what + ": " + e.getMessage(),
          e);
    }
  }

  @Override
  public void close() throws IOException {
    List<RaftClient> toClose;
    synchronized (all) {
      closed = true;
      toClose = new ArrayList<>(all);
      all.clear();
    }
    IOException first = null;
    for (RaftClient c : toClose) {
      try {
        c.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
