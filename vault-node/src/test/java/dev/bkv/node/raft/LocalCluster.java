package dev.bkv.node.raft;

import dev.bkv.node.testing.MemberProcesses;
import dev.bkv.node.testing.TestRaftTrust;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Fleet members as separate JVM processes on loopback, each with its own data directory,
 * started from the test class path. Every process is killed by {@link #close()}.
 */
final class LocalCluster implements AutoCloseable {
  private final Path root;
  private final int shards;
  private final List<Peer> peers = new ArrayList<>();
  private final Map<String, String> extra;
  private final MemberProcesses members;
  private final TestRaftTrust trust;

  LocalCluster(Path root, int members, int shards, Map<String, String> extra) throws Exception {
    this.root = root;
    this.shards = shards;
    this.extra = extra;
    for (int i = 1; i <= members; i++) {
      peers.add(new Peer("m" + i, "127.0.0.1", freePort()));
    }
    this.trust = TestRaftTrust.create(Files.createDirectories(root.resolve("raft-tls")), ids());
    this.members = new MemberProcesses(root);
  }

  /** Every member log written so far. */
  List<Path> logs() {
    return members.logs();
  }

  /** The members' Raft credentials and roster. */
  TestRaftTrust trust() {
    return trust;
  }

  List<String> ids() {
    return peers.stream().map(Peer::id).toList();
  }

  Path dataDir(String id) {
    return root.resolve(id);
  }

  /** A client-side config for this fleet, holding member m1's Raft credential. */
  NodeConfig clientConfig(int requestTimeoutMs) {
    return new NodeConfig(null, peers, null, shards, 150, 300, 10_000, requestTimeoutMs,
        Map.of(), trust.files(ids().get(0)));
  }

  /** Starts every member and waits until each reports ready. */
  void startAll() throws Exception {
    for (String id : ids()) {
      launch(id);
    }
    for (String id : ids()) {
      members.awaitReady(id, Duration.ofSeconds(60));
    }
  }

  void start(String id) throws Exception {
    launch(id);
    members.awaitReady(id, Duration.ofSeconds(60));
  }

  /** Starts {@code ids} at once (each may wait for the others), then waits for them. */
  void startTogether(List<String> ids) throws Exception {
    for (String id : ids) {
      launch(id);
    }
    for (String id : ids) {
      members.awaitReady(id, Duration.ofSeconds(60));
    }
  }

  /** What member {@code id} has logged in its current (or last) run. */
  String log(String id) throws IOException {
    Path last = null;
    for (Path p : members.logs()) {
      if (p.getFileName().toString().startsWith(id + "-")) {
        last = p;
      }
    }
    return last == null ? "" : Files.readString(last, StandardCharsets.UTF_8);
  }

  /** SIGKILL: no shutdown hook, no final snapshot. */
  void kill(String id) throws InterruptedException {
    members.kill(id);
  }

  /** SIGTERM: the member closes its server (and Ratis takes a snapshot on stop). */
  void stop(String id) throws InterruptedException {
    members.stop(id);
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
    trust.properties(id).forEach(p::setProperty);
    extra.forEach(p::setProperty);
    Files.createDirectories(dataDir(id));
    Path conf = root.resolve(id + ".properties");
    try (var w = Files.newBufferedWriter(conf, StandardCharsets.UTF_8)) {
      p.store(w, "bkv test member " + id);
    }
    members.launch(id, List.of(), Map.of(), List.of("-Xmx192m"), ReplicaMain.class,
        conf.toString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    members.close();
  }
}
