package dev.bkv.node.service;

import dev.bkv.client.Endpoint;
import dev.bkv.client.PinnedFleetKey;
import dev.bkv.client.VaultClient;
import dev.bkv.node.api.DevCa;
import dev.bkv.node.tenant.TenantSigner;
import dev.bkv.node.testing.MemberProcesses;
import dev.bkv.node.testing.TestNetwork;
import dev.bkv.node.testing.TestRaftTrust;
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
 * A vault fleet as separate JVMs for tests: each member has its own SoftHSM2 token directory
 * (own SOFTHSM2_CONF), the same dev fleet keys, its own Raft storage, an evaluation log, and a
 * TLS certificate from a dev CA. On loopback by default; {@link Options#network} puts every
 * member in its own network namespace so that links between members can be cut
 * ({@link #network()}). Every process is killed by {@link #close()}.
 */
final class VaultFleet implements AutoCloseable {
  static final String FLEET = "test-fleet";

  /**
   * How to build a fleet.
   *
   * @param members how many members (3 or 5 in tests)
   * @param network members in network namespaces (needs root) instead of on loopback
   * @param memberJvmOptions extra JVM options for every member (fault-injection points)
   * @param requestTimeoutMs the members' Raft client request timeout
   */
  record Options(int members, boolean network, List<String> memberJvmOptions,
      int requestTimeoutMs) {
    static Options loopback(int members) {
      return new Options(members, false, List.of(), 500);
    }
  }

  private final Path root;
  private final Options options;
  private final DevFleetKeys.Secrets secrets;
  private final TenantSigner tenant;
  private final List<String> ids = new ArrayList<>();
  private final Map<String, String> hosts = new LinkedHashMap<>();
  private final Map<String, Integer> raftPorts = new LinkedHashMap<>();
  private final Map<String, Integer> apiPorts = new LinkedHashMap<>();
  private final Map<String, Integer> metricsPorts = new LinkedHashMap<>();
  private final SecureRandom rng = new SecureRandom();
  private final MemberProcesses members;
  private final TestNetwork network;
  private TestRaftTrust raftTrust;

  VaultFleet(String name) throws Exception {
    this(name, Options.loopback(3));
  }

  VaultFleet(String name, Options options) throws Exception {
    this.options = options;
    this.root = Path.of(System.getenv("BKV_TEST_WORKDIR"), name + "-" + System.nanoTime());
    Files.createDirectories(root);
    for (int i = 1; i <= options.members(); i++) {
      ids.add("m" + i);
    }
    this.members = new MemberProcesses(root);
    this.network = options.network() ? TestNetwork.create(ids) : null;
    try {
      for (String id : ids) {
        hosts.put(id, network == null ? "127.0.0.1" : network.address(id));
        raftPorts.put(id, network == null ? freePort() : 7100);
        apiPorts.put(id, network == null ? freePort() : 7443);
        metricsPorts.put(id, network == null ? freePort() : 9464);
      }
      this.secrets = DevFleetKeys.Secrets.generate(rng);
      Files.writeString(root.resolve("fleet-secrets.hex"), secrets.toHex());
      this.tenant = TenantSigner.generate("test-tenant", rng);
      Files.writeString(root.resolve("tenant-keys.json"), tenant.publicJwkSetJson());
      DevCa.create(root.resolve("tls"), ids,
          network == null ? List.of() : List.copyOf(hosts.values()), rng);
      this.raftTrust = TestRaftTrust.create(Files.createDirectories(root.resolve("raft-tls")),
          ids);
      for (String id : ids) {
        initToken(id);
      }
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  List<String> ids() {
    return ids;
  }

  /** The members' private network; null for a loopback fleet. */
  TestNetwork network() {
    return network;
  }

  MemberProcesses processes() {
    return members;
  }

  /** The app backend's signing key, pinned by every member (node.tenant.keys). */
  TenantSigner tenant() {
    return tenant;
  }

  /** The development fleet's secrets: whoever has them has every member's keys (tests only). */
  DevFleetKeys.Secrets secrets() {
    return secrets;
  }

  PinnedFleetKey pinnedKey() throws Exception {
    return new PinnedFleetKey(secrets.akePublicKey());
  }

  Endpoint endpoint(String id) {
    return new Endpoint(hosts.get(id), apiPorts.get(id));
  }

  /** The member's Prometheus scrape address ({@code node.metrics.listen}; every member has one). */
  java.net.URI metricsUri(String id) {
    return java.net.URI.create("http://" + hosts.get(id) + ":" + metricsPorts.get(id)
        + "/metrics");
  }

  /** Sets one key in the member's config; takes effect at its next start. */
  void setConfig(String id, String key, String value) throws IOException {
    Path f = dir(id).resolve("member.properties");
    Properties c = new Properties();
    try (var r = Files.newBufferedReader(f)) {
      c.load(r);
    }
    c.setProperty(key, value);
    try (var w = Files.newBufferedWriter(f)) {
      c.store(w, "bkv test member " + id);
    }
  }

  /** The log of the member's current (or last) launch: its standard output and error. */
  Path log(String id) {
    return members.logs().stream().filter(l -> l.getFileName().toString().startsWith(id + "-"))
        .reduce((a, b) -> b).orElseThrow();
  }

  /** A client over TLS to the given members, with the identity KSF (fast, tests only). */
  VaultClient client(List<String> members) throws Exception {
    return client(members, Duration.ofSeconds(30));
  }

  VaultClient client(List<String> members, Duration callTimeout) throws Exception {
    return client(members, callTimeout, tenantTokens());
  }

  /** A client whose tenant tokens come from {@code tokens} (tests of refused tokens). */
  VaultClient client(List<String> members, Duration callTimeout,
      dev.bkv.client.TenantTokens tokens) throws Exception {
    return VaultClient.builder().endpoints(members.stream().map(this::endpoint).toList())
        .trustAnchor(pinnedKey()).trustedCa(root.resolve("tls/ca.pem"))
        .tenantTokens(tokens).suite(suite()).callTimeout(callTimeout).build();
  }

  /** Tokens the members accept: minted by the tenant key for whichever user asks, 5 min. */
  dev.bkv.client.TenantTokens tenantTokens() {
    return user -> tenant.mint(new String(user, StandardCharsets.UTF_8), FLEET,
        java.time.Instant.now(), Duration.ofMinutes(5));
  }

  /** Calls below the client library to {@code member}, in the fleet channel. */
  dev.bkv.client.ChannelCalls calls(io.grpc.Channel channel) throws Exception {
    return new dev.bkv.client.ChannelCalls(channel, secrets.akePublicKey(), tenantTokens());
  }

  static CipherSuite suite() {
    return new CipherSuite(ServiceConfig.DEFAULT_CONTEXT.getBytes(StandardCharsets.UTF_8),
        Ksf.IDENTITY);
  }

  /**
   * A Raft client config for this fleet (replication only, no member id), holding member m1's
   * Raft credential.
   */
  dev.bkv.node.raft.NodeConfig raftClientConfig() {
    return new dev.bkv.node.raft.NodeConfig(null, ids.stream()
        .map(m -> new dev.bkv.node.raft.Peer(m, hosts.get(m), raftPorts.get(m))).toList(), null,
        1, 300, 600, 10_000, 500, Map.of(), raftTrust.files(ids.get(0)));
  }

  /** The members' Raft credentials and roster. */
  TestRaftTrust raftTrust() {
    return raftTrust;
  }

  Path caPem() {
    return root.resolve("tls/ca.pem");
  }

  /** The tenant keys file every member pins ({@code node.tenant.keys}). */
  Path tenantKeys() {
    return root.resolve("tenant-keys.json");
  }

  /** The fleet's working directory. */
  Path root() {
    return root;
  }

  /** The member's API TLS certificate and key (an impostor that stole them passes TLS). */
  Path tlsCert(String id) {
    return root.resolve("tls/" + id + ".pem");
  }

  Path tlsKey(String id) {
    return root.resolve("tls/" + id + "-key.pem");
  }

  /**
   * The member's evaluation log, its active file (every launch appends to it; it rotates every
   * {@value #EVALUATION_LOG_BYTES} bytes, so read it with {@link #evaluationLines}).
   */
  Path evaluationLog(String id) {
    return dir(id).resolve("evaluations.log");
  }

  /**
   * Small enough that a cluster test's or an adversarial run's windows span rotations (about
   * 230 lines a file).
   */
  static final int EVALUATION_LOG_BYTES = 8192;

  /** The event lines of the member's whole evaluation log, every rotated file checked. */
  List<String> evaluationLines(String id) throws java.io.IOException {
    return EvaluationLogChain.lines(evaluationLog(id)).stream()
        .map(EvaluationLogChain.Line::text).toList();
  }

  void startAll() throws Exception {
    for (String id : ids) {
      launch(id);
    }
    for (String id : ids) {
      members.awaitReady(id, Duration.ofSeconds(90));
    }
  }

  void start(String id) throws Exception {
    launch(id);
    members.awaitReady(id, Duration.ofSeconds(90));
  }

  /** SIGKILL. */
  void kill(String id) throws InterruptedException {
    members.kill(id);
  }

  /** SIGTERM: the member stops cleanly (Ratis takes a snapshot). */
  void stop(String id) throws InterruptedException {
    members.stop(id);
  }

  /** The member's directory (token, PIN file, config, data). */
  Path dir(String id) {
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
    ids.forEach(m -> peers.add(m + "=" + hosts.get(m) + ":" + raftPorts.get(m)));
    c.setProperty("node.peers", String.join(",", peers));
    c.setProperty("node.data-dir", d.resolve("data").toString());
    c.setProperty("node.election.min-ms", "300");
    c.setProperty("node.election.max-ms", "600");
    c.setProperty("node.client.request-timeout-ms",
        Integer.toString(options.requestTimeoutMs()));
    c.setProperty("node.listen", hosts.get(id) + ":" + apiPorts.get(id));
    c.setProperty("node.fleet-id", FLEET);
    c.setProperty("node.tls.cert", root.resolve("tls/" + id + ".pem").toString());
    c.setProperty("node.tls.key", root.resolve("tls/" + id + "-key.pem").toString());
    c.setProperty("node.evaluation-log", evaluationLog(id).toString());
    c.setProperty("node.evaluation-log.max-bytes", Integer.toString(EVALUATION_LOG_BYTES));
    c.setProperty("node.metrics.listen", hosts.get(id) + ":" + metricsPorts.get(id));
    raftTrust.properties(id).forEach(c::setProperty);
    c.setProperty("node.status.user-evaluations", "true");
    c.setProperty("node.tenant.keys", root.resolve("tenant-keys.json").toString());
    // Tests drive many calls per user (40 concurrent guesses, adversarial rounds); the rate
    // limit itself is tested in ChannelGateTest and the demo.
    c.setProperty("node.rate.user-per-minute", "60000");
    c.setProperty("node.rate.user-burst", "10000");
    try (var w = Files.newBufferedWriter(d.resolve("member.properties"))) {
      c.store(w, "bkv test member " + id);
    }
  }

  private List<String> launchPrefix = List.of();

  /**
   * A command the member JVMs are started through on loopback (the scale benchmark starts them
   * with {@code nice -n -19} from its own nice 19).
   */
  void launchPrefix(List<String> prefix) {
    launchPrefix = List.copyOf(prefix);
  }

  private void launch(String id) throws IOException {
    List<String> jvm = new ArrayList<>(List.of("-Xmx256m"));
    jvm.addAll(options.memberJvmOptions());
    members.launch(id, network == null ? launchPrefix : network.exec(id),
        Map.of("SOFTHSM2_CONF", dir(id).resolve("softhsm2.conf").toString()), jvm,
        TestMember.class, dir(id).resolve("member.properties").toString(),
        root.resolve("fleet-secrets.hex").toString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * Stops every member, then checks each token's inventory in a separate JVM: every private
   * and secret key is still sensitive and not extractable. Returns how many keys were checked.
   */
  int checkTokens() throws Exception {
    members.close();
    int total = 0;
    for (String id : ids) {
      Path log = dir(id).resolve("inventory.log");
      ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin",
          "java").toString(), "-cp", System.getProperty("surefire.test.class.path",
          System.getProperty("java.class.path")), TokenInventoryCheck.class.getName(),
          dir(id).resolve("member.properties").toString())
          .redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().put("SOFTHSM2_CONF", dir(id).resolve("softhsm2.conf").toString());
      Process p = pb.start();
      String out;
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0
          || !(out = Files.readString(log).trim()).startsWith("keys checked: ")) {
        throw new AssertionError("token of " + id + " fails the inventory check: "
            + Files.readString(log));
      }
      total += Integer.parseInt(out.substring("keys checked: ".length()).trim());
    }
    return total;
  }

  @Override
  public void close() {
    members.close();
    if (network != null) {
      network.close();
    }
  }
}
