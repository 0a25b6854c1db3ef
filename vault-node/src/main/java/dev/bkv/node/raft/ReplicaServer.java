package dev.bkv.node.raft;

import dev.bkv.node.NodeException;
import dev.bkv.node.raft.internal.LostLogAppender;
import dev.bkv.node.raft.internal.RaftSettings;
import dev.bkv.node.store.ClosureReceipts;
import dev.bkv.node.store.RecordStore;
import dev.bkv.node.trust.MemberTrust;
import dev.bkv.node.trust.RosterException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import dev.bkv.node.raft.internal.RejoinMarkers;
import dev.bkv.node.raft.internal.Rejoins;
import dev.bkv.node.raft.internal.VoteGuard;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.proto.RaftProtos.CommitInfoProto;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;

/**
 * One fleet member's replication server: a single Ratis server (gRPC transport, mutual TLS with
 * the roster's members unless in plaintext mode) hosting every shard's Raft group, each with
 * its own {@link VaultStateMachine} and RocksDB database under {@code
 * <data-dir>/raft/<group-uuid>/sm/}. Groups already on disk are recovered on start; the
 * others are created.
 */
public final class ReplicaServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ReplicaServer.class.getName());
  /** How long {@link #start} waits for the other members to say whether the fleet is new. */
  private static final long CLASSIFY_WAIT_MS = 20_000;
  private final NodeConfig config;
  private final RaftServer server;
  private final Shards shards;
  private final VoteGuard guard;
  private final Rejoins rejoins;

  private ReplicaServer(NodeConfig config, RaftServer server, Shards shards, VoteGuard guard,
      Rejoins rejoins) {
    this.config = config;
    this.server = server;
    this.shards = shards;
    this.guard = guard;
    this.rejoins = rejoins;
  }

  /** Starts the member described by {@code config} (which must name this member). */
  public static ReplicaServer start(NodeConfig config) throws NodeException {
    return start(config, PeerRequests.NONE);
  }

  /** Like {@link #start(NodeConfig)}, answering peers' key share requests with {@code peers}. */
  public static ReplicaServer start(NodeConfig config, PeerRequests peers) throws NodeException {
    return start(config, peers, ClosureReceipts.Check.NONE);
  }

  /**
   * Like {@link #start(NodeConfig, PeerRequests)}; {@code closures} checks the closure receipts
   * of records migrating from the earlier fleet epoch (DESIGN §11) on every replica.
   */
  public static ReplicaServer start(NodeConfig config, PeerRequests peers,
      ClosureReceipts.Check closures) throws NodeException {
    if (config.memberId() == null || config.dataDir() == null) {
      throw new ConfigException("a member needs node.id and node.data-dir");
    }
    RaftPeerId self = RaftPeerId.valueOf(config.memberId());
    Shards shards = new Shards(config.shards(), config.peers());
    MemberTrust trust = trust(config);
    CommandAuthenticator auth = trust == null ? CommandAuthenticator.UNSIGNED
        : CommandAuthenticator.members(trust.roster());
    RaftServer server = null;
    VoteGuard guard = new VoteGuard();
    try {
      // A group without storage is rejoined without a vote (Rejoins), noted before it exists.
      RejoinMarkers markers = new RejoinMarkers(config.dataDir());
      Set<RaftGroupId> rejoining = markers.markMissing(config.dataDir().resolve("raft"),
          shards.groups());
      rejoining.forEach(guard::guard);
      server = RaftServer.newBuilder().setServerId(self)
          .setProperties(RaftSettings.server(config))
          .setParameters(RaftSettings.serverParameters(trust, guard))
          .setStateMachineRegistry(gid -> new VaultStateMachine(
              RecordStore.DEFAULT_AUDIT_CAPACITY, auth, peers, closures))
          .setOption(RaftStorage.StartupOption.RECOVER)
          .build();
      server.start();
      Set<RaftGroupId> present = new HashSet<>();
      server.getGroupIds().forEach(present::add);
      Map<Integer, RaftGroup> missing = new HashMap<>();
      Map<Integer, RaftGroup> resumed = new HashMap<>();
      for (int i = 0; i < shards.count(); i++) {
        RaftGroup g = shards.group(i);
        if (!present.contains(g.getGroupId())) {
          Path groupDir = config.dataDir().resolve("raft")
              .resolve(g.getGroupId().getUuid().toString());
          if (Files.exists(groupDir)) {
            // Never format over a group the server failed to recover.
            throw new IOException("group directory " + groupDir + " exists but was not "
                + "recovered");
          }
          missing.put(i, g);
        } else if (rejoining.contains(g.getGroupId())) {
          resumed.put(i, g);
        }
      }
      RaftServer s = server;
      AtomicLong callId = new AtomicLong();
      RaftProperties clientProps = RaftSettings.client(config);
      Parameters clientParams = RaftSettings.parameters(trust);
      Rejoins rejoins = new Rejoins(server, guard, markers,
          g -> add(s, self, g, callId.incrementAndGet()), missing, resumed,
          () -> RaftClient.newBuilder().setProperties(clientProps).setParameters(clientParams)
              .setRaftGroup(shards.group(0)).setRetryPolicy(RetryPolicies.noRetry()).build());
      if (!rejoins.awaitClassified(CLASSIFY_WAIT_MS)) {
        LOG.log(System.Logger.Level.WARNING, "member {0}: some shards have no storage and not "
            + "every other member answers yet; they start once the members answer",
            config.memberId());
      }
      return new ReplicaServer(config, server, shards, guard, rejoins);
    } catch (IOException | RuntimeException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      if (server != null) {
        try {
          server.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw new ReplicationException("cannot start member " + config.memberId() + " on "
          + config.self().address() + ": " + e.getMessage(), e);
    }
  }

  /** Creates group {@code g} on {@code server}, which found no storage for it. */
  private static void add(RaftServer server, RaftPeerId self, RaftGroup g, long callId)
      throws IOException {
    RaftClientReply r = server.groupManagement(GroupManagementRequest.newAdd(
        ClientId.randomId(), self, callId, g));
    if (!r.isSuccess()) {
      throw new IOException("cannot add group " + g.getGroupId() + ": " + r.getException());
    }
  }

  /**
   * Loads the roster and credential {@code config} names and checks them against its peers and
   * member id; null in plaintext mode.
   */
  static MemberTrust trust(NodeConfig config) throws ConfigException {
    RaftTlsFiles f = config.raftTls();
    if (f == null) {
      return null;
    }
    try {
      return MemberTrust.load(f.roster(), f.cert(), f.key(),
          config.peers().stream().map(Peer::id).toList(), config.memberId());
    } catch (RosterException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }

  public String memberId() {
    return config.memberId();
  }

  public Shards shards() {
    return shards;
  }

  /**
   * Role, indexes and snapshot of this member in {@code shard}, read from its Raft server
   * without any network call.
   *
   * @throws IOException if the server does not (or no longer) host that shard's group
   */
  public ShardProgress progress(int shard) throws IOException {
    RaftServer.Division d = server.getDivision(shards.group(shard).getGroupId());
    DivisionInfo info = d.getInfo();
    RaftPeerId leader = info.getLeaderId();
    Map<String, Long> peers = new HashMap<>();
    for (CommitInfoProto c : d.getCommitInfos()) {
      peers.put(c.getServer().getId().toStringUtf8(), c.getCommitIndex());
    }
    SnapshotInfo snap = d.getStateMachine().getLatestSnapshot();
    long snapIndex = snap == null ? -1 : snap.getIndex();
    long snapMillis = -1;
    if (snap != null && !snap.getFiles().isEmpty()) {
      Path dir = snap.getFiles().get(0).getPath().toAbsolutePath().getParent();
      try {
        snapMillis = Files.getLastModifiedTime(dir).toMillis();
      } catch (IOException e) {
        snapMillis = -1; // replaced by a newer snapshot meanwhile
      }
    }
    return new ShardProgress(shard, info.getCurrentRole().name(),
        leader == null ? "" : leader.toString(), info.getCurrentTerm(),
        d.getRaftLog().getLastCommittedIndex(), info.getLastAppliedIndex(), snapIndex,
        snapMillis, guard.isGuarded(d.getMemberId().getGroupId()), peers, info.isLeader() ? LostLogAppender.matchIndexes(d.getMemberId())
            : Map.of());
  }

  /**
   * The user records this member's replica of each shard holds, by shard; a shard it cannot
   * count now (not hosted, store being replaced) is left out.
   */
  public Map<Integer, Long> recordCounts() {
    Map<Integer, Long> out = new java.util.TreeMap<>();
    for (int shard = 0; shard < shards.count(); shard++) {
      try {
        RaftServer.Division d = server.getDivision(shards.group(shard).getGroupId());
        if (d.getStateMachine() instanceof VaultStateMachine sm) {
          out.put(shard, sm.recordCount());
        }
      } catch (IOException e) {
        // not countable right now: the status answer simply lacks this shard
      }
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    rejoins.close();
    server.close();
  }
}
