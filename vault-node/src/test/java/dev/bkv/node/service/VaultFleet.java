package dev.bkv.node.service;

import dev.bkv.client.Endpoint;
import dev.bkv.client.PinnedFleetKey;
import dev.bkv.client.VaultClient;
import dev.bkv.node.api.DevCa;
import dev.bkv.opaque.CipherSuite;
import dev.bkv.opaque.Ksf;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A 3-member vault fleet as separate JVMs on loopback for tests: each member has its own
 * SoftHSM2 token directory (own SOFTHSM2_CONF), the same dev fleet keys, its own Raft storage,
 * and a TLS certificate from a dev CA. Every process is killed by {@link #close()}.
 */
final class VaultFleet implements AutoCloseable {
  static final String FLEET = "test-fleet";
  private final Path root;
  private final DevFleetKeys.Secrets secrets;
  private final List<String> ids = List.of("m1", "m2", "m3");
  private final Map<String, Integer> raftPorts = new LinkedHashMap<>();
  private final Map<String, Integer> apiPorts = new LinkedHashMap<>();
  private final Map<String, Process> running = new LinkedHashMap<>();
  private final SecureRandom rng = new SecureRandom();
  private final Thread reaper = new Thread(this::close, "bkv-test-fleet-reaper");
  private int launches;

  VaultFleet(String name) throws Exception {
    this.root = Path.of(System.getenv("BKV_TEST_WORKDIR"), name + "-" + System.nanoTime());
    Files.createDirectories(root);
    this.secrets = DevFleetKeys.Secrets.generate(rng);
    Files.writeString(root.resolve("fleet-secrets.hex"), secrets.toHex());
    DevCa.create(root.resolve("tls"), ids, List.of(), rng);
    for (String id : ids) {
      raftPorts.put(id, freePort());
      apiPorts.put(id, freePort());
    }
    for (String id : ids) {
      initToken(id);
    }
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  List<String> ids() {
    return ids;
  }

  PinnedFleetKey pinnedKey() throws Exception {
    return new PinnedFleetKey(secrets.akePublicKey());
  }

  Endpoint endpoint(String id) {
    return new Endpoint("127.0.0.1", apiPorts.get(id));
  }

  /** A client over TLS to the given members, with the identity KSF (fast, tests only). */
  VaultClient client(List<String> members) throws Exception {
    return VaultClient.builder().endpoints(members.stream().map(this::endpoint).toList())
        .trustAnchor(pinnedKey()).trustedCa(root.resolve("tls/ca.pem"))
        .suite(new CipherSuite(ServiceConfig.DEFAULT_CONTEXT.getBytes(StandardCharsets.UTF_8),
            Ksf.IDENTITY))
        .callTimeout(Duration.ofSeconds(30)).build();
  }

  /** A Raft client config for this fleet (replication only, no member id). */
  dev.bkv.node.raft.NodeConfig raftClientConfig() {
    return new dev.bkv.node.raft.NodeConfig(null, ids.stream()
        .map(m -> new dev.bkv.node.raft.Peer(m, "127.0.0.1", raftPorts.get(m))).toList(), null,
        1, 300, 600, 10_000, 500, Map.of());
  }

  Path caPem() {
    return root.resolve("tls/ca.pem");
  }

  void startAll() throws Exception {
    for (String id : ids) {
      launch(id);
    }
    for (String id : ids) {
      awaitReady(id);
    }
  }

  void start(String id) throws Exception {
    launch(id);
    awaitReady(id);
  }

  /** SIGKILL. */
  void kill(String id) throws InterruptedException {
    Process p = running.remove(id);
    p.destroyForcibly();
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      throw new IllegalStateException(id + " did not die");
    }
  }

  /** SIGTERM: the member stops cleanly (Ratis takes a snapshot). */
  void stop(String id) throws InterruptedException {
    Process p = running.remove(id);
    p.destroy();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(id + " did not stop on SIGTERM");
    }
  }

  private Path dir(String id) {
    return root.resolve(id);
  }

  private void initToken(String id) throws Exception {
    Path d = dir(id);
    Files.createDirectories(d.resolve("tokens"));
    Files.writeString(d.resolve("softhsm2.conf"), "directories.tokendir = " + d.resolve("tokens")
        + "\nobjectstore.backend = file\nlog.level = ERROR\n");
    String pin = HexFormat.of().formatHex(rng.generateSeed(8));
    Files.writeString(d.resolve("user.pin"), pin);
    ProcessBuilder pb = new ProcessBuilder("softhsm2-util", "--init-token", "--free", "--label",
        "bkv-" + id, "--pin", pin, "--so-pin", HexFormat.of().formatHex(rng.generateSeed(8)))
        .redirectErrorStream(true).redirectOutput(d.resolve("init-token.log").toFile());
    pb.environment().put("SOFTHSM2_CONF", d.resolve("softhsm2.conf").toString());
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("softhsm2-util --init-token for " + id + " failed: "
          + Files.readString(d.resolve("init-token.log")));
    }
    Properties c = new Properties();
    c.setProperty("pkcs11.module", System.getenv().getOrDefault("BKV_SOFTHSM_MODULE",
        "/usr/lib/softhsm/libsofthsm2.so"));
    c.setProperty("pkcs11.token-label", "bkv-" + id);
    c.setProperty("pkcs11.user-pin", "file:" + d.resolve("user.pin"));
    c.setProperty("node.id", id);
    List<String> peers = new ArrayList<>();
    ids.forEach(m -> peers.add(m + "=127.0.0.1:" + raftPorts.get(m)));
    c.setProperty("node.peers", String.join(",", peers));
    c.setProperty("node.data-dir", d.resolve("data").toString());
    c.setProperty("node.election.min-ms", "300");
    c.setProperty("node.election.max-ms", "600");
    c.setProperty("node.client.request-timeout-ms", "500");
    c.setProperty("node.listen", "127.0.0.1:" + apiPorts.get(id));
    c.setProperty("node.fleet-id", FLEET);
    c.setProperty("node.tls.cert", root.resolve("tls/" + id + ".pem").toString());
    c.setProperty("node.tls.key", root.resolve("tls/" + id + "-key.pem").toString());
    try (var w = Files.newBufferedWriter(d.resolve("member.properties"))) {
      c.store(w, "bkv test member " + id);
    }
  }

  private void launch(String id) throws IOException {
    String cp = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    Path log = root.resolve(id + "-" + (++launches) + ".log");
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin",
        "java").toString(), "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", cp,
        TestMember.class.getName(), dir(id).resolve("member.properties").toString(),
        root.resolve("fleet-secrets.hex").toString())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SOFTHSM2_CONF", dir(id).resolve("softhsm2.conf").toString());
    running.put(id, pb.start());
    logs.put(id, log);
  }

  private final Map<String, Path> logs = new LinkedHashMap<>();

  private void awaitReady(String id) throws Exception {
    Path log = logs.get(id);
    Process proc = running.get(id);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      String text = Files.readString(log);
      if (text.contains("ready " + id + " ")) {
        return;
      }
      if (!proc.isAlive()) {
        throw new IllegalStateException(id + " exited with " + proc.exitValue() + ": " + text);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("member " + id + " not ready in 90 s: " + Files.readString(log));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public synchronized void close() {
    if (Thread.currentThread() != reaper) {
      try {
        Runtime.getRuntime().removeShutdownHook(reaper);
      } catch (IllegalStateException e) {
        // Already shutting down; the hook does the same.
      }
    }
    for (Process p : running.values()) {
      p.destroyForcibly();
    }
    for (Process p : running.values()) {
      try {
        p.waitFor(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    running.clear();
  }
}
