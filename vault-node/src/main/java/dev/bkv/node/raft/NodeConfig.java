package dev.bkv.node.raft;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A member's replication settings, read from the project's properties file. Only {@code node.*}
 * keys are read here ({@code pkcs11.*} belong to the HSM adapter); an unknown {@code node.*} key
 * is an error, except {@code node.raft.*}, which is passed to Ratis as {@code raft.*} (but for
 * bkv's own {@code node.raft.roster}, {@code node.raft.tls.cert}, {@code node.raft.tls.key} and
 * {@code node.raft.plaintext}).
 *
 * <p>Raft runs over mutual TLS between fleet members: a config must name the roster and the
 * member's credential ({@link RaftTlsFiles}), unless it sets {@code node.raft.plaintext = true}
 * explicitly (then {@link #raftTls} is null, and neither peers nor commands are authenticated).
 *
 * @param memberId this member's id ({@code node.id}); may be null for a client-only config
 * @param peers every member of the fleet, in the order given ({@code node.peers})
 * @param dataDir where Raft logs and record databases live ({@code node.data-dir})
 * @param shards number of Raft groups users are spread over ({@code node.shards}, default 1)
 * @param electionMinMs lower election timeout ({@code node.election.min-ms}, default 1000)
 * @param electionMaxMs upper election timeout ({@code node.election.max-ms}, default 2000)
 * @param snapshotThreshold log entries between automatic snapshots
 *     ({@code node.snapshot.threshold}, default 10000)
 * @param requestTimeoutMs client request timeout before trying another member
 *     ({@code node.client.request-timeout-ms}, default 1000)
 * @param raftOverrides raw Ratis properties ({@code node.raft.X=v} becomes {@code raft.X=v})
 * @param raftTls the roster and this member's Raft credential; null only in plaintext mode
 */
public record NodeConfig(String memberId, List<Peer> peers, Path dataDir, int shards,
    int electionMinMs, int electionMaxMs, long snapshotThreshold, int requestTimeoutMs,
    Map<String, String> raftOverrides, RaftTlsFiles raftTls) {
  public static final int MAX_SHARDS = 256;

  public NodeConfig {
    peers = List.copyOf(peers);
    raftOverrides = Map.copyOf(raftOverrides);
    if (peers.isEmpty()) {
      throw new IllegalArgumentException("node.peers lists no members");
    }
    if (memberId != null && peers.stream().noneMatch(p -> p.id().equals(memberId))) {
      throw new IllegalArgumentException("node.id '" + memberId + "' is not in node.peers");
    }
    if (peers.stream().map(Peer::id).distinct().count() != peers.size()) {
      throw new IllegalArgumentException("node.peers lists a member id twice");
    }
    if (shards < 1 || shards > MAX_SHARDS) {
      throw new IllegalArgumentException("node.shards is " + shards + "; expected 1.."
          + MAX_SHARDS);
    }
    if (electionMinMs < 10 || electionMaxMs <= electionMinMs) {
      throw new IllegalArgumentException("election timeout " + electionMinMs + ".."
          + electionMaxMs + " ms; expected min >= 10 and max > min");
    }
    if (snapshotThreshold < 1 || requestTimeoutMs < 10) {
      throw new IllegalArgumentException("snapshot threshold " + snapshotThreshold
          + " / request timeout " + requestTimeoutMs + " ms out of range");
    }
  }

  public Peer self() {
    return peers.stream().filter(p -> p.id().equals(memberId)).findFirst()
        .orElseThrow(() -> new IllegalStateException("client-only config has no member id"));
  }

  public static NodeConfig load(Path file) throws ConfigException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new ConfigException("cannot read node config " + file + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) { // Properties.load: malformed unicode escape
      throw new ConfigException("node config " + file + " is not a properties file: "
          + e.getMessage(), e);
    }
    return parse(p);
  }

  /** Parses the {@code node.*} keys of {@code p}. */
  public static NodeConfig parse(Properties p) throws ConfigException {
    Map<String, String> raft = new TreeMap<>();
    for (String key : p.stringPropertyNames()) {
      if (RAFT_TLS_KEYS.contains(key)) {
        continue;
      } else if (key.startsWith("node.raft.")) {
        raft.put("raft." + key.substring("node.raft.".length()), p.getProperty(key).trim());
      } else if (key.startsWith("node.") && !KNOWN.contains(key)) {
        throw new ConfigException("unknown config key " + key + "; known keys: " + KNOWN
            + ", " + RAFT_TLS_KEYS + " and node.raft.* (passed to Ratis)");
      }
    }
    String dir = p.getProperty("node.data-dir");
    try {
      NodeConfig c = new NodeConfig(opt(p, "node.id"), peers(require(p, "node.peers")),
          dir == null ? null : Path.of(dir.trim()), integer(p, "node.shards", 1),
          integer(p, "node.election.min-ms", 1000), integer(p, "node.election.max-ms", 2000),
          integer(p, "node.snapshot.threshold", 10_000),
          integer(p, "node.client.request-timeout-ms", 1000), raft, null);
      RaftTlsFiles tls = raftTls(p); // after the other keys, whose errors come first
      return tls == null ? c : c.withRaftTls(tls);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }

  /** This config with another Raft credential (e.g. a member's, for a test client). */
  public NodeConfig withRaftTls(RaftTlsFiles tls) {
    return new NodeConfig(memberId, peers, dataDir, shards, electionMinMs, electionMaxMs,
        snapshotThreshold, requestTimeoutMs, raftOverrides, tls);
  }

  static final List<String> RAFT_TLS_KEYS = List.of("node.raft.roster", "node.raft.tls.cert",
      "node.raft.tls.key", "node.raft.plaintext");

  private static RaftTlsFiles raftTls(Properties p) throws ConfigException {
    String plain = opt(p, "node.raft.plaintext");
    if (plain != null && !plain.equals("true") && !plain.equals("false")) {
      throw new ConfigException("node.raft.plaintext is '" + plain + "'; expected true or false");
    }
    String roster = opt(p, "node.raft.roster");
    String cert = opt(p, "node.raft.tls.cert");
    String key = opt(p, "node.raft.tls.key");
    if ("true".equals(plain)) {
      if (roster != null || cert != null || key != null) {
        throw new ConfigException("node.raft.plaintext = true, but node.raft.roster / "
            + "node.raft.tls.* are set too; choose one");
      }
      return null;
    }
    List<String> missing = new ArrayList<>();
    for (String k : List.of("node.raft.roster", "node.raft.tls.cert", "node.raft.tls.key")) {
      if (opt(p, k) == null || opt(p, k).isEmpty()) {
        missing.add(k);
      }
    }
    if (!missing.isEmpty()) {
      throw new ConfigException("Raft runs over mutual TLS between members: set "
          + String.join(", ", missing) + " (or node.raft.plaintext = true explicitly)");
    }
    return new RaftTlsFiles(Path.of(roster), Path.of(cert), Path.of(key));
  }

  private static final List<String> KNOWN = List.of("node.id", "node.peers", "node.data-dir",
      "node.shards", "node.election.min-ms", "node.election.max-ms", "node.snapshot.threshold",
      "node.client.request-timeout-ms");

  private static String opt(Properties p, String key) {
    String v = p.getProperty(key);
    return v == null ? null : v.trim();
  }

  private static String require(Properties p, String key) throws ConfigException {
    String v = opt(p, key);
    if (v == null || v.isEmpty()) {
      throw new ConfigException("config key " + key + " is missing");
    }
    return v;
  }

  private static int integer(Properties p, String key, int dflt) throws ConfigException {
    String v = opt(p, key);
    try {
      return v == null ? dflt : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new ConfigException(key + " is '" + v + "'; expected an integer", e);
    }
  }

  /** Parses {@code id=host:port,id=host:port}. */
  static List<Peer> peers(String spec) throws ConfigException {
    List<Peer> out = new ArrayList<>();
    for (String item : spec.split(",")) {
      String s = item.trim();
      int eq = s.indexOf('=');
      int colon = s.lastIndexOf(':');
      if (eq < 1 || colon < eq + 2 || colon == s.length() - 1) {
        throw new ConfigException("node.peers entry '" + s + "'; expected id=host:port");
      }
      try {
        out.add(new Peer(s.substring(0, eq), s.substring(eq + 1, colon),
            Integer.parseInt(s.substring(colon + 1))));
      } catch (NumberFormatException e) {
        throw new ConfigException("node.peers entry '" + s + "' has a bad port", e);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("node.peers entry '" + s + "': " + e.getMessage(), e);
      }
    }
    return out;
  }
}
