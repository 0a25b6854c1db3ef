package dev.bkv.node.raft;

import dev.bkv.node.raft.internal.ClientPool;
import dev.bkv.node.raft.internal.RaftSettings;
import dev.bkv.node.store.Command;
import dev.bkv.node.store.MalformedMessageException;
import dev.bkv.node.store.Outcome;
import dev.bkv.node.store.UserId;
import dev.bkv.node.store.UserState;
import dev.bkv.node.trust.MemberCredential;
import dev.bkv.node.trust.MemberTrust;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.io.InterruptedIOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.thirdparty.io.grpc.StatusRuntimeException;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;

/**
 * Client of the replicated record store; thread-safe.
 *
 * <p>Writes go to the Raft group of the user's shard through a Ratis client that follows leader
 * redirects and, after the request timeout, fails over to another member. Retries of one
 * request keep its call id, so the servers' retry cache applies it at most once. A reply means
 * a majority committed the command.
 *
 * <p>The gRPC transport reports an unreachable member with an unchecked {@code
 * StatusRuntimeException}; every call here treats it like an {@code IOException}.
 *
 * <p>Linearizable reads are sent to the shard leader only: the servers answer them with a read
 * index (one place to ask, whichever transport). Reads are idempotent, so this class
 * retries them itself, re-resolving the leader, until {@link #READ_DEADLINE_MS}.
 */
public final class ReplicatedStore implements ReplicatedRecords, AutoCloseable {
  /** About 15 s of fast-failing write retries (no leader yet), longer when members time out. */
  private static final int MAX_ATTEMPTS = 150;
  private static final TimeDuration RETRY_SLEEP = TimeDuration.valueOf(100, TimeUnit.MILLISECONDS);
  static final long READ_DEADLINE_MS = 15_000;
  /** How long a peer may take to learn that the index of a key share request is committed. */
  static final long PEER_DEADLINE_MS = 3_000;
  private static final int BACKGROUND_THREADS = 8;

  private final Shards shards;
  private final ClientPool writers;
  private final ClientPool readers;
  private final ClientPool peers;
  private final AtomicReferenceArray<RaftPeerId> leaders;
  private final MemberCredential credential;
  /** Commits no caller waits for ({@link #commitInBackground}); idle threads time out. */
  private final java.util.concurrent.ThreadPoolExecutor background =
      new java.util.concurrent.ThreadPoolExecutor(BACKGROUND_THREADS, BACKGROUND_THREADS, 30,
          TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "bkv-background-commits");
            t.setDaemon(true);
            return t;
          });
  private final String memberId;

  /**
   * A client of the fleet {@code config} names. With a Raft credential in the config, it
   * connects over mutual TLS and signs every command with that member's key; the config's
   * roster and credential are loaded and checked here.
   */
  public ReplicatedStore(NodeConfig config) throws ConfigException {
    this.shards = new Shards(config.shards(), config.peers());
    MemberTrust trust = ReplicaServer.trust(config);
    background.allowCoreThreadTimeOut(true);
    this.credential = trust == null ? null : trust.credential();
    this.memberId = config.memberId();
    RaftProperties props = RaftSettings.client(config);
    Parameters params = RaftSettings.parameters(trust);
    this.writers = new ClientPool(shards.count(), i -> RaftClient.newBuilder()
        .setProperties(props).setParameters(params).setRaftGroup(shards.group(i))
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(MAX_ATTEMPTS,
            RETRY_SLEEP)).build());
    this.readers = new ClientPool(shards.count(), i -> RaftClient.newBuilder()
        .setProperties(props).setParameters(params).setRaftGroup(shards.group(i))
        .setRetryPolicy(RetryPolicies.noRetry()).build());
    // A peer answers a key share request after applying its index and one HSM call per share:
    // give it longer than a write's round trip before asking another holder.
    RaftProperties peerProps = RaftSettings.client(config,
        Math.max(config.requestTimeoutMs(), PEER_DEADLINE_MS));
    this.peers = new ClientPool(shards.count(), i -> RaftClient.newBuilder()
        .setProperties(peerProps).setParameters(params).setRaftGroup(shards.group(i))
        .setRetryPolicy(RetryPolicies.noRetry()).build());
    this.leaders = new AtomicReferenceArray<>(shards.count());
  }

  public Shards shards() {
    return shards;
  }

  /** Commits {@code command} on a majority of the user's shard and returns its outcome. */
  public Outcome submit(Command command) throws ReplicationException {
    return commit(command).outcome();
  }

  /** Like {@link #submit}, also telling the log index the command was committed at. */
  @Override
  public Committed commit(Command command) throws ReplicationException {
    int shard = shards.shardOf(command.userId());
    RaftClientReply reply;
    try {
      Message m = message(signed(shard, command.toBytes()));
      reply = writers.with(shard, c -> c.io().send(m));
    } catch (IOException | StatusRuntimeException e) {
      throw new ReplicationException("command for " + command.userId() + " not acknowledged: "
          + e.getMessage(), e);
    }
    if (reply.isSuccess()) {
      leaders.set(shard, reply.getServerId());
    }
    return new Committed(parse(reply, Outcome::parse, "outcome"), reply.getLogIndex());
  }

  /**
   * Commits {@code command} on one of a few background threads (the commit itself is the same
   * as {@link #commit}); commands wait in a queue when they are all busy.
   */
  @Override
  public java.util.concurrent.CompletableFuture<Committed> commitInBackground(Command command) {
    java.util.concurrent.CompletableFuture<Committed> out =
        new java.util.concurrent.CompletableFuture<>();
    try {
      background.execute(() -> {
        try {
          out.complete(commit(command));
        } catch (ReplicationException | RuntimeException e) {
          out.completeExceptionally(e);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      out.completeExceptionally(new ReplicationException("the store is closed", e));
    }
    return out;
  }

  /** Linearizable read of a user's state, answered by the shard leader after a read index. */
  @Override
  public UserState get(UserId user) throws ReplicationException {
    int shard = shards.shardOf(user);
    Message q = message(new Query.Get(user).toBytes());
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READ_DEADLINE_MS);
    Exception last = null;
    while (System.nanoTime() < deadline) {
      RaftPeerId leader = leaders.get(shard);
      if (leader == null) {
        leader = leaderOf(shard).map(RaftPeerId::valueOf).orElse(null);
      }
      if (leader != null) {
        RaftPeerId target = leader;
        try {
          RaftClientReply r = readers.with(shard, c -> c.io().sendReadOnly(q, target));
          if (r.isSuccess()) {
            leaders.set(shard, target);
            return parse(r, UserState::parse, "user state");
          }
          last = r.getException();
        } catch (IOException | StatusRuntimeException e) {
          last = e;
        }
        leaders.compareAndSet(shard, target, null);
      }
      pause();
    }
    throw new ReplicationException("linearizable read of " + user + " found no leader of shard "
        + shard + " within " + READ_DEADLINE_MS + " ms", last);
  }

  @Override
  public UserState getLocal(UserId user) throws ReplicationException {
    if (memberId == null) {
      return get(user);
    }
    return getFrom(memberId, user);
  }

  /** The member that answered the last commit in the user's shard (its leader then), if any. */
  public Optional<String> knownLeader(UserId user) {
    RaftPeerId leader = leaders.get(shards.shardOf(user));
    return leader == null ? Optional.empty() : Optional.of(leader.toString());
  }

  /** This member's Raft credential (it signs commands and closure receipts); empty in plaintext. */
  public java.util.Optional<MemberCredential> credential() {
    return java.util.Optional.ofNullable(credential);
  }

  /** A possibly stale read from one member's replica; for inspection and tests. */
  public UserState getFrom(String memberId, UserId user) throws ReplicationException {
    return parse(staleRead(shards.shardOf(user), memberId, new Query.Get(user)),
        UserState::parse, "user state");
  }

  /**
   * Sends a key share request about {@code user} to member {@code memberId} of the user's shard.
   * A partial evaluation names the log index of its attempt or registration, and that member's
   * state machine waits until it has applied that index (up to two seconds) before answering;
   * Ratis' own stale-read floor is not used, since a follower that has not yet learned of the
   * commit would refuse at once and have to be asked again. A member that is down or does not
   * answer in time is left to the caller, which asks another holder of the same sets.
   */
  public PeerAnswer askPeer(String memberId, UserId user, Query query)
      throws ReplicationException {
    int shard = shards.shardOf(user);
    RaftPeerId target = RaftPeerId.valueOf(memberId);
    Message m = message(query.toBytes());
    try {
      RaftClientReply r = peers.with(shard, c -> c.io().sendStaleRead(m, 0, target));
      if (r.isSuccess()) {
        return parse(r, PeerAnswer::parse, "peer answer");
      }
      throw new ReplicationException("member " + memberId + " did not answer a key share "
          + "request for " + user + ": " + r.getException(), r.getException());
    } catch (IOException | StatusRuntimeException e) {
      throw new ReplicationException("member " + memberId + " did not answer a key share "
          + "request for " + user + ": " + e, e);
    }
  }

  /** One member's progress in one shard. */
  public ReplicaStatus status(String memberId, int shard) throws ReplicationException {
    return parse(staleRead(shard, memberId, new Query.Status()), ReplicaStatus::parse,
        "replica status");
  }

  /** The member that currently leads {@code shard}, asking each member for its role. */
  public Optional<String> leaderOf(int shard) {
    for (RaftPeer peer : shards.group(shard).getPeers()) {
      try {
        GroupInfoReply info = readers.with(shard, c -> c.getGroupManagementApi(peer.getId())
            .info(shards.group(shard).getGroupId()));
        if (info.getRoleInfoProto().getRole() == RaftPeerRole.LEADER) {
          return Optional.of(peer.getId().toString());
        }
      } catch (IOException | StatusRuntimeException e) {
        // That member is down or unreachable; ask the next one.
      }
    }
    return Optional.empty();
  }

  private RaftClientReply staleRead(int shard, String memberId, Query query)
      throws ReplicationException {
    try {
      return readers.with(shard, c -> c.io().sendStaleRead(message(query.toBytes()), 0,
          RaftPeerId.valueOf(memberId)));
    } catch (IOException | StatusRuntimeException e) {
      throw new ReplicationException("read from " + memberId + " in shard " + shard
          + " failed: " + e.getMessage(), e);
    }
  }

  /** The command as the leader accepts it: in an envelope signed by this member's key. */
  private byte[] signed(int shard, byte[] command) throws ReplicationException {
    if (credential == null) {
      return command;
    }
    String id = credential.memberId();
    try {
      byte[] sig = credential.sign(CommandEnvelope.signedMessage(
          shards.group(shard).getGroupId(), id, command));
      return new CommandEnvelope(id, sig, command).toBytes();
    } catch (GeneralSecurityException e) {
      throw new ReplicationException("cannot sign a command as member " + id + ": "
          + e.getMessage(), e);
    }
  }

  private static void pause() throws ReplicationException {
    pause(RETRY_SLEEP.toLong(TimeUnit.MILLISECONDS));
  }

  private static void pause(long ms) throws ReplicationException {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ReplicationException("interrupted", new InterruptedIOException());
    }
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
    background.shutdown();
    try {
      if (!background.awaitTermination(PEER_DEADLINE_MS, TimeUnit.MILLISECONDS)) {
        background.shutdownNow();
      }
    } catch (InterruptedException e) {
      background.shutdownNow();
      Thread.currentThread().interrupt();
    }
    try {
      writers.close();
    } finally {
      try {
        readers.close();
      } finally {
        peers.close();
      }
    }
  }
}
