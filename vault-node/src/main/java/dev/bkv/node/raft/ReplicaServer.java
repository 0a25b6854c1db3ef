package dev.bkv.node.raft;

import dev.bkv.node.NodeException;
import dev.bkv.node.raft.internal.RaftSettings;
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
import org.apache.ratis.protocol.ClientId;
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
  private final NodeConfig config;
  private final RaftServer server;
  private final Shards shards;

  private ReplicaServer(NodeConfig config, RaftServer server, Shards shards) {
    this.config = config;
    this.server = server;
    this.shards = shards;
  }

  /** Starts the member described by {@code config} (which must name this member). */
  public static ReplicaServer start(NodeConfig config) throws NodeException {
    return start(config, PeerRequests.NONE);
  }

  /** Like {@link #start(NodeConfig)}, answering peers' key share requests with {@code peers}. */
  public static ReplicaServer start(NodeConfig config, PeerRequests peers) throws NodeException {
    if (config.memberId() == null || config.dataDir() == null) {
      throw new ConfigException("a member needs node.id and node.data-dir");
    }
    RaftPeerId self = RaftPeerId.valueOf(config.memberId());
    Shards shards = new Shards(config.shards(), config.peers());
    MemberTrust trust = trust(config);
    CommandAuthenticator auth = trust == null ? CommandAuthenticator.UNSIGNED
        : CommandAuthenticator.members(trust.roster());
    RaftServer server = null;
    try {
      server = RaftServer.newBuilder().setServerId(self)
          .setProperties(RaftSettings.server(config))
          .setParameters(RaftSettings.parameters(trust))
          .setStateMachineRegistry(gid -> new VaultStateMachine(
              RecordStore.DEFAULT_AUDIT_CAPACITY, auth, peers))
          .setOption(RaftStorage.StartupOption.RECOVER)
          .build();
      server.start();
      Set<RaftGroupId> present = new HashSet<>();
      server.getGroupIds().forEach(present::add);
      AtomicLong callId = new AtomicLong();
      for (RaftGroup g : shards.groups()) {
        if (present.contains(g.getGroupId())) {
          continue;
        }
        Path groupDir = config.dataDir().resolve("raft")
            .resolve(g.getGroupId().getUuid().toString());
        if (Files.exists(groupDir)) {
          // Never format over a group the server failed to recover.
          throw new IOException("group directory " + groupDir + " exists but was not recovered");
        }
        RaftClientReply r = server.groupManagement(GroupManagementRequest.newAdd(
            ClientId.randomId(), self, callId.incrementAndGet(), g));
        if (!r.isSuccess()) {
          throw new IOException("cannot add group " + g.getGroupId() + ": " + r.getException());
        }
      }
      return new ReplicaServer(config, server, shards);
    } catch (IOException | RuntimeException e) {
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
        snapMillis, peers);
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
