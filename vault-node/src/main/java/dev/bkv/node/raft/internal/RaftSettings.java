package dev.bkv.node.raft.internal;

import dev.bkv.node.raft.NodeConfig;
import dev.bkv.node.raft.Peer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClientConfigKeys;
import dev.bkv.node.trust.MemberTrust;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/** Turns a {@link NodeConfig} into Ratis properties for a member server or a client. */
public final class RaftSettings {
  private RaftSettings() {}

  /**
   * Properties for this member's server (gRPC transport, linearizable reads, snapshots).
   *
   * <p>Not the Netty transport: Ratis 3.2's Netty proxy pairs replies with requests by arrival
   * order, so once a request to a paused or partitioned peer times out, every later reply on
   * that connection answers the wrong request and the peer can stay unreachable after the
   * fault is gone (seen in the adversarial test: a healed follower that never caught up).
   * gRPC pairs them by call id.
   */
  public static RaftProperties server(NodeConfig config) {
    RaftProperties p = common(config);
    // gRPC, with leaders that restart a follower which lost its log (LostLogAppender).
    RaftConfigKeys.Rpc.setType(p, new VaultRpcType());
    Peer self = config.self();
    GrpcConfigKeys.Server.setHost(p, self.host());
    GrpcConfigKeys.Server.setPort(p, self.port());
    RaftServerConfigKeys.setStorageDir(p, List.of(config.dataDir().resolve("raft").toFile()));
    RaftServerConfigKeys.Rpc.setTimeoutMin(p, ms(config.electionMinMs()));
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, ms(config.electionMaxMs()));
    RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    // A leader whose majority acknowledged it within 0.9 of the shortest election timeout
    // answers a linearizable read at once (no heartbeat round per read): no other member can
    // have been elected meanwhile, as long as clocks run at about the same rate. Only reads
    // use it; commits, and with them the guess limit, never do.
    RaftServerConfigKeys.Read.setLeaderLeaseEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, config.snapshotThreshold());
    // One snapshot: it is a RocksDB checkpoint whose SSTs are hard links into the live
    // database, so each extra one becomes another copy of the data once compaction rewrites
    // the live SSTs. node.raft.server.snapshot.retention.file.num keeps more.
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 1);
    // Bounded log: after each snapshot every closed segment at or below it is deleted (purge
    // gap 1: at any log size, not only after 1024 entries). Only closed segments can go, so
    // the segment size bounds what stays: 1 MB is a few thousand commands (Ratis' default,
    // 32 MB, is ~100,000 that a small fleet would keep for good). Preallocation follows it.
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
    RaftServerConfigKeys.Log.setPurgeGap(p, 1);
    RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf("1MB"));
    RaftServerConfigKeys.Log.setPreallocatedSize(p, SizeInBytes.valueOf("1MB"));
    RaftServerConfigKeys.Log.Appender.setInstallSnapshotEnabled(p, true);
    overrides(config, p);
    return p;
  }

  /** Properties for a client: gRPC, and a request timeout short enough to fail over fast. */
  public static RaftProperties client(NodeConfig config) {
    return client(config, config.requestTimeoutMs());
  }

  /** A client's properties with its own request timeout (key share requests to peers). */
  public static RaftProperties client(NodeConfig config, long requestTimeoutMs) {
    RaftProperties p = common(config);
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, ms(requestTimeoutMs));
    overrides(config, p);
    return p;
  }

  /**
   * Ratis parameters that put every gRPC channel of a server or client (server to server,
   * client, admin) on mutual TLS with {@code trust}: the member presents its credential and
   * accepts only the roster's pinned member certificates; a server also refuses membership
   * changes ({@link FixedMembership}). Null {@code trust} (plaintext mode) gives empty
   * parameters.
   */
  public static Parameters parameters(MemberTrust trust) {
    Parameters p = new Parameters();
    if (trust != null) {
      GrpcTlsConfig tls = new GrpcTlsConfig(trust.credential().keyManager(),
          trust.trustManager(), true);
      GrpcConfigKeys.Server.setTlsConf(p, tls);
      GrpcConfigKeys.Client.setTlsConf(p, tls);
      GrpcConfigKeys.Admin.setTlsConf(p, tls);
      GrpcConfigKeys.Server.setServicesCustomizer(p, new FixedMembership());
    }
    return p;
  }

  /**
   * A member server's parameters: those of {@link #parameters}, and its gRPC services behind
   * {@code guard} (no votes in groups being rejoined) and, with {@code trust}, {@link
   * FixedMembership}.
   */
  public static Parameters serverParameters(MemberTrust trust, VoteGuard guard) {
    Parameters p = parameters(trust);
    GrpcConfigKeys.Server.setServicesCustomizer(p,
        guard.customizer(trust == null ? null : new FixedMembership()));
    return p;
  }

  private static RaftProperties common(NodeConfig config) {
    RaftProperties p = new RaftProperties();
    RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
    return p;
  }

  private static void overrides(NodeConfig config, RaftProperties p) {
    config.raftOverrides().forEach(p::set);
  }

  private static TimeDuration ms(long millis) {
    return TimeDuration.valueOf(millis, TimeUnit.MILLISECONDS);
  }
}
