package dev.bkv.node.service;

import dev.bkv.node.raft.PeerAnswer;
import dev.bkv.node.raft.Query;
import dev.bkv.node.store.UserId;
import dev.bkv.node.NodeException;
import dev.bkv.node.api.Tls;
import dev.bkv.node.api.VaultGrpc;
import dev.bkv.node.api.VaultGrpcService;
import dev.bkv.node.ops.HealthReporter;
import dev.bkv.node.ops.JsonLogs;
import dev.bkv.node.ops.MetricsServer;
import dev.bkv.node.ops.NodeMetrics;
import dev.bkv.node.ops.OpsConfig;
import dev.bkv.node.ops.RaftGauges;
import dev.bkv.node.raft.ConfigException;
import dev.bkv.node.raft.NodeConfig;
import dev.bkv.node.raft.Peer;
import dev.bkv.node.raft.ReplicationException;
import dev.bkv.evidence.FleetKey;
import dev.bkv.node.store.ClosureReceipts;
import dev.bkv.evidence.ShareLayout;
import dev.bkv.node.raft.ReplicaServer;
import dev.bkv.node.raft.ReplicatedStore;
import dev.bkv.node.api.ChannelError.Reason;
import dev.bkv.node.tenant.TenantGate;
import dev.bkv.node.tenant.TenantKeyException;
import dev.bkv.opaque.HsmServerKeys;
import dev.bkv.pkcs11.HsmException;
import dev.bkv.pkcs11.Pkcs11Config;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.recovery.InternalFaultException;
import io.grpc.Server;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One running fleet member: its HSM token (fleet keys), its Ratis server, a client of the
 * replicated store, and the gRPC vault API with the standard health service. Built from one
 * properties file ({@code pkcs11.*} for the token, {@code node.*} for Raft, the service and
 * operations: metrics, health, log format).
 */
public final class VaultNode implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(VaultNode.class.getName());

  private final Pkcs11Token token;
  private final ReplicaServer replica;
  private final ReplicatedStore store;
  private final Server grpc;
  private final String memberId;
  private final EvaluationCounter evaluations;
  private final HealthReporter health;
  private final MetricsServer metricsServer;
  private final AutoCloseable housekeeping;

  private VaultNode(Pkcs11Token token, ReplicaServer replica, ReplicatedStore store, Server grpc,
      String memberId, EvaluationCounter evaluations, HealthReporter health,
      MetricsServer metricsServer, AutoCloseable housekeeping) {
    this.housekeeping = housekeeping;
    this.evaluations = evaluations;
    this.token = token;
    this.replica = replica;
    this.store = store;
    this.grpc = grpc;
    this.memberId = memberId;
    this.health = health;
    this.metricsServer = metricsServer;
  }

  public static Properties loadProperties(Path file) throws ConfigException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new ConfigException("cannot read config " + file + ": " + e.getMessage(), e);
    }
    return p;
  }

  /** Opens the token, starts Raft and serves the API; fails with a message naming the cause. */
  public static VaultNode start(Path configFile) throws NodeException {
    return start(configFile, ServiceHooks.NONE);
  }

  /** Like {@link #start(Path)}, with fault-injection hooks in the vault service (tests). */
  public static VaultNode start(Path configFile, ServiceHooks hooks) throws NodeException {
    Properties p = loadProperties(configFile);
    OpsConfig ops = OpsConfig.parse(p);
    JsonLogs.quietLibraries(ops.raftLogLevel());
    if (ops.jsonLogs()) {
      JsonLogs.install();
    }
    ServiceConfig sc = ServiceConfig.parse(p);
    NodeConfig nc = NodeConfig.parse(ServiceConfig.replicationOnly(p));
    if (nc.memberId() == null) {
      throw new ConfigException("a member config needs node.id");
    }
    long evaluationLogMaxBytes = EvaluationLogFile.maxBytes(p);
    Pkcs11Token token = null;
    ReplicaServer replica = null;
    ReplicatedStore store = null;
    EvaluationCounter evaluations = null;
    HealthReporter health = null;
    MetricsServer metricsServer = null;
    AutoCloseable housekeeping = null;
    PartialLedger ledger = null;
    Server grpc = null;
    try {
      TenantGate gate = new TenantGate(sc.tenant().authority(Clock.systemUTC()),
          sc.tenant().rateLimiter(Clock.systemUTC()));
      NodeMetrics metrics = new NodeMetrics(nc.memberId());
      token = Pkcs11Token.open(Pkcs11Config.fromProperties(p, configFile.toString()));
      metrics.watch(token);
      SecureRandom rng = new SecureRandom();
      String space = FleetKey.space(sc.fleetId(), sc.epoch());
      HsmServerKeys keys = HsmServerKeys.open(token, space);
      RecordKey recordKey = new HsmRecordKey(
          token.keys().findAes(FleetKey.RECORD.label(space)), sc.fleetId(), rng);
      ShareLayout layout = new ShareLayout(sc.fleetId(), sc.epoch(),
          nc.peers().stream().map(Peer::id).toList());
      ShareKeys shareKeys = ShareKeys.open(token, layout, nc.memberId());
      evaluations = new EvaluationCounter(sc.evaluationLog(), evaluationLogMaxBytes);
      java.nio.file.Files.createDirectories(nc.dataDir());
      ledger = new PartialLedger(nc.dataDir().resolve("partials.ledger"));
      ClosureReceipts.Check predecessor = MigrationConfig.parse(p);
      replica = ReplicaServer.start(nc, new PeerEvaluator(shareKeys, ledger, evaluations),
          predecessor);
      RaftGauges.register(metrics.registry(), replica,
          nc.peers().stream().map(Peer::id).toList(), Clock.systemUTC());
      store = new ReplicatedStore(nc);
      ReplicatedStore peers = store;
      UserOprf oprf = new FleetOprf(shareKeys, new Peers() {
        @Override
        public PeerAnswer ask(String member, UserId user, Query q) throws ServiceException {
          try {
            return peers.askPeer(member, user, q);
          } catch (ReplicationException e) {
            throw new ServiceException(Reason.UNAVAILABLE, e.getMessage(), e);
          }
        }

        @Override
        public java.util.Optional<String> leader(UserId user) {
          return peers.knownLeader(user);
        }
      });
      VaultService service = new VaultService(store, keys, oprf, recordKey, sc,
          Clock.systemUTC(), rng, evaluations, metrics, hooks);
      housekeeping = every(1000, "bkv-housekeeping", service::purgeExpired);
      ReplicatedStore s = store;
      HealthStatusManager healthStatus = new HealthStatusManager();
      grpc = NettyServerBuilder.forAddress(
              new InetSocketAddress(sc.listenHost(), sc.listenPort()),
              Tls.server(sc.tlsCert(), sc.tlsKey(), sc.plaintext()))
          .addService(new VaultGrpcService(service, nc.memberId(), () -> leaders(s), gate,
              new Migrations(store, nc.memberId(), sc.fleetId(), sc.epoch(),
                  store.credential().<Migrations.Signer>map(c -> c::sign).orElse(null),
                  predecessor, Clock.systemUTC()), replica::recordCounts))
          .addService(healthStatus.getHealthService())
          .build().start();
      health = HealthReporter.start(healthStatus, List.of(VaultGrpc.SERVICE_NAME),
          healthCheck(replica, token), ops.healthIntervalMs());
      metrics.serving(health);
      if (ops.metricsListen() != null) {
        metricsServer = MetricsServer.start(ops.metricsListen(), metrics);
        LOG.log(System.Logger.Level.INFO, "member {0} serves metrics on {1}:{2,number,#}",
            nc.memberId(), ops.metricsListen().getHostString(),
            metricsServer.port());
      }
      LOG.log(System.Logger.Level.INFO, "member {0} of fleet {1} serves the vault API on port "
          + "{2,number,#}", nc.memberId(), sc.fleetId(), grpc.getPort());
      PartialLedger l = ledger;
      AutoCloseable h = housekeeping;
      return new VaultNode(token, replica, store, grpc, nc.memberId(), evaluations, health,
          metricsServer, () -> closeQuietly(h, l));
    } catch (TenantKeyException e) {
      stop(grpc, housekeeping, metricsServer, health, store, replica, token, evaluations, ledger);
      throw new ConfigException("node.tenant.keys: " + e.getMessage(), e);
    } catch (HsmException | InternalFaultException | IOException | RuntimeException e) {
      stop(grpc, housekeeping, metricsServer, health, store, replica, token, evaluations, ledger);
      throw new ServiceException(Reason.FAULT, "cannot start member " + nc.memberId() + ": "
          + e.getMessage(), e);
    } catch (NodeException e) {
      stop(grpc, housekeeping, metricsServer, health, store, replica, token, evaluations, ledger);
      throw e;
    }
  }

  /** Runs {@code task} every {@code ms} on a daemon thread until the result is closed. */
  private static AutoCloseable every(long ms, String name, Runnable task) {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(() -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, name + " failed: {0}", e.toString());
      }
    }, ms, ms, TimeUnit.MILLISECONDS);
    return timer::shutdownNow;
  }

  /** Serving: every shard has a leader this member knows of, and the token answers. */
  private static java.util.function.BooleanSupplier healthCheck(ReplicaServer replica,
      Pkcs11Token token) {
    return () -> {
      try {
        for (int i = 0; i < replica.shards().count(); i++) {
          if (!replica.progress(i).hasLeader()) {
            return false;
          }
        }
        token.info();
        return true;
      } catch (IOException | HsmException e) {
        return false;
      }
    };
  }

  private static Map<String, String> leaders(ReplicatedStore store) {
    Map<String, String> out = new TreeMap<>();
    for (int i = 0; i < store.shards().count(); i++) {
      out.put(Integer.toString(i), store.leaderOf(i).orElse(""));
    }
    return out;
  }

  public String memberId() {
    return memberId;
  }

  /** The port the API listens on (useful with {@code node.listen = host:0}). */
  public int port() {
    return grpc.getPort();
  }

  /** The port metrics are served on, or -1 without {@code node.metrics.listen}. */
  public int metricsPort() {
    return metricsServer == null ? -1 : metricsServer.port();
  }

  @Override
  public void close() {
    LOG.log(System.Logger.Level.INFO, "member {0} stopping", memberId);
    health.close(); // NOT_SERVING first, so that load balancers stop sending calls
    stop(grpc, housekeeping, metricsServer, health, store, replica, token, evaluations);
  }

  private static void stop(Server grpc, AutoCloseable... rest) {
    if (grpc != null) {
      grpc.shutdown();
      try {
        grpc.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      grpc.shutdownNow();
    }
    closeQuietly(rest);
  }

  private static void closeQuietly(AutoCloseable... all) {
    for (AutoCloseable c : all) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          LOG.log(System.Logger.Level.WARNING, "error while stopping: {0}", e.getMessage());
        }
      }
    }
  }
}
