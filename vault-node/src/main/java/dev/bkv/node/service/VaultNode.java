package dev.bkv.node.service;

import dev.bkv.node.NodeException;
import dev.bkv.node.api.Tls;
import dev.bkv.node.api.VaultGrpcService;
import dev.bkv.node.raft.ConfigException;
import dev.bkv.node.raft.NodeConfig;
import dev.bkv.node.raft.ReplicaServer;
import dev.bkv.node.raft.ReplicatedStore;
import dev.bkv.node.service.ServiceException.Reason;
import dev.bkv.node.tenant.TenantGate;
import dev.bkv.node.tenant.TenantKeyException;
import dev.bkv.opaque.HsmServerKeys;
import dev.bkv.pkcs11.HsmException;
import dev.bkv.pkcs11.Pkcs11Config;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.recovery.InternalFaultException;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One running fleet member: its HSM token (fleet keys), its Ratis server, a client of the
 * replicated store, and the gRPC vault API. Built from one properties file ({@code pkcs11.*}
 * for the token, {@code node.*} for Raft and the service).
 */
public final class VaultNode implements AutoCloseable {
  private final Pkcs11Token token;
  private final ReplicaServer replica;
  private final ReplicatedStore store;
  private final Server grpc;
  private final String memberId;
  private final EvaluationCounter evaluations;

  private VaultNode(Pkcs11Token token, ReplicaServer replica, ReplicatedStore store, Server grpc,
      String memberId, EvaluationCounter evaluations) {
    this.evaluations = evaluations;
    this.token = token;
    this.replica = replica;
    this.store = store;
    this.grpc = grpc;
    this.memberId = memberId;
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
    Properties p = loadProperties(configFile);
    ServiceConfig sc = ServiceConfig.parse(p);
    NodeConfig nc = NodeConfig.parse(ServiceConfig.replicationOnly(p));
    if (nc.memberId() == null) {
      throw new ConfigException("a member config needs node.id");
    }
    Pkcs11Token token = null;
    ReplicaServer replica = null;
    ReplicatedStore store = null;
    EvaluationCounter evaluations = null;
    try {
      TenantGate gate = new TenantGate(sc.tenant().authority(Clock.systemUTC()),
          sc.tenant().rateLimiter(Clock.systemUTC()));
      token = Pkcs11Token.open(Pkcs11Config.fromProperties(p, configFile.toString()));
      SecureRandom rng = new SecureRandom();
      HsmServerKeys keys = HsmServerKeys.open(token, sc.fleetId());
      RecordKey recordKey = new HsmRecordKey(
          token.keys().findAes("fleet/" + sc.fleetId() + "/record"), sc.fleetId(), rng);
      replica = ReplicaServer.start(nc);
      store = new ReplicatedStore(nc);
      evaluations = new EvaluationCounter(sc.evaluationLog());
      VaultService service = new VaultService(store, keys, recordKey, sc, Clock.systemUTC(), rng,
          evaluations);
      ReplicatedStore s = store;
      Server grpc = NettyServerBuilder.forAddress(
              new InetSocketAddress(sc.listenHost(), sc.listenPort()),
              Tls.server(sc.tlsCert(), sc.tlsKey(), sc.plaintext()))
          .addService(new VaultGrpcService(service, nc.memberId(), () -> leaders(s), gate))
          .build().start();
      return new VaultNode(token, replica, store, grpc, nc.memberId(), evaluations);
    } catch (TenantKeyException e) {
      closeQuietly(store, replica, token, evaluations);
      throw new ConfigException("node.tenant.keys: " + e.getMessage(), e);
    } catch (HsmException | InternalFaultException | IOException | RuntimeException e) {
      closeQuietly(store, replica, token, evaluations);
      throw new ServiceException(Reason.FAULT, "cannot start member " + nc.memberId() + ": "
          + e.getMessage(), e);
    } catch (NodeException e) {
      closeQuietly(store, replica, token, evaluations);
      throw e;
    }
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

  @Override
  public void close() {
    grpc.shutdown();
    try {
      grpc.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    grpc.shutdownNow();
    closeQuietly(store, replica, token, evaluations);
  }

  private static void closeQuietly(AutoCloseable... all) {
    for (AutoCloseable c : all) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          System.err.println("error while stopping: " + e.getMessage());
        }
      }
    }
  }
}
