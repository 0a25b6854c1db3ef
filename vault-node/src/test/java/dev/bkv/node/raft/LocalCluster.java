package dev.bkv.node.raft;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Fleet members as separate JVM processes on loopback, each with its own data directory,
 * started from the test class path. Every process is killed by {@link #close()}.
 */
final class LocalCluster implements AutoCloseable {
  private final Path root;
  private final int shards;
  private final List<Peer> peers = new ArrayList<>();
  private final Map<String, String> extra;
  private final Map<String, Process> running = new ConcurrentHashMap<>();
  private final Map<String, Path> logs = new LinkedHashMap<>();
  private final List<Path> allLogs = new ArrayList<>();
  private final Thread reaper = new Thread(this::close, "bkv-test-cluster-reaper");
  private int launches;

  LocalCluster(Path root, int members, int shards, Map<String, String> extra) throws IOException {
    this.root = root;
    this.shards = shards;
    this.extra = extra;
    for (int i = 1; i <= members; i++) {
      peers.add(new Peer("m" + i, "127.0.0.1", freePort()));
    }
    // Children must not outlive a test JVM that is stopped before close() runs.
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  List<String> ids() {
    return peers.stream().map(Peer::id).toList();
  }

  Path dataDir(String id) {
    return root.resolve(id);
  }

  /** A client-side config for this fleet. */
  NodeConfig clientConfig(int requestTimeoutMs) {
    return new NodeConfig(null, peers, null, shards, 150, 300, 10_000, requestTimeoutMs,
        Map.of());
  }

  /** Starts every member and waits until each reports ready. */
  void startAll() throws Exception {
    for (String id : ids()) {
      launch(id);
    }
    for (String id : ids()) {
      awaitReady(id);
    }
  }

  void start(String id) throws Exception {
    launch(id);
    awaitReady(id);
  }

  /** SIGKILL: no shutdown hook, no final snapshot. */
  void kill(String id) throws InterruptedException {
    Process p = running.remove(id);
    p.destroyForcibly();
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      throw new IllegalStateException(id + " did not die");
    }
  }

  /** SIGTERM: the member closes its server (and Ratis takes a snapshot on stop). */
  void stop(String id) throws InterruptedException {
    Process p = running.remove(id);
    p.destroy();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(id + " did not stop on SIGTERM");
    }
  }

  private void launch(String id) throws IOException {
    Peer self = peers.stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
    Properties p = new Properties();
    p.setProperty("node.id", self.id());
    p.setProperty("node.peers", String.join(",",
        peers.stream().map(x -> x.id() + "=" + x.address()).toList()));
    p.setProperty("node.data-dir", dataDir(id).toString());
    p.setProperty("node.shards", Integer.toString(shards));
    // Generous for a loaded 2-core CI machine; production defaults are 1000..2000 ms.
    p.setProperty("node.election.min-ms", "300");
    p.setProperty("node.election.max-ms", "600");
    extra.forEach(p::setProperty);
    Files.createDirectories(dataDir(id));
    Path conf = root.resolve(id + ".properties");
    try (var w = Files.newBufferedWriter(conf, StandardCharsets.UTF_8)) {
      p.store(w, "bkv test member " + id);
    }
    String cp = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    Path log = root.resolve(id + "-" + (++launches) + ".log");
    Process proc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-Dorg.slf4j.simpleLogger.showDateTime=true", "-cp", cp,
        ReplicaMain.class.getName(), conf.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    running.put(id, proc);
    logs.put(id, log);
    allLogs.add(log);
  }

  private void awaitReady(String id) throws Exception {
    Path log = logs.get(id);
    Process proc = running.get(id);
    Polling.until(Duration.ofSeconds(60), "member " + id + " ready", () -> {
      if (!proc.isAlive()) {
        throw new IllegalStateException(id + " exited with " + proc.exitValue() + ": "
            + Files.readString(log));
      }
      return Files.readString(log).contains("ready " + id);
    });
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
        // The JVM is already shutting down; the hook does the same work.
      }
    }
    List<Process> all = new ArrayList<>(running.values());
    for (Process p : all) {
      p.destroyForcibly();
    }
    for (Process p : all) {
      try {
        p.waitFor(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    running.clear();
    keepLogs();
  }

  /** Copies member logs to the module's test work directory, for diagnosing a failure. */
  private void keepLogs() {
    String work = System.getenv("BKV_TEST_WORKDIR");
    if (work == null) {
      return;
    }
    Path target = Path.of(work, "cluster-logs", root.getFileName().toString());
    try {
      Files.createDirectories(target);
      for (Path log : allLogs) {
        Files.copy(log, target.resolve(log.getFileName()),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      System.err.println("cannot keep member logs in " + target + ": " + e.getMessage());
    }
  }
}
