package dev.bkv.node.ops;

import dev.bkv.node.raft.ConfigException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Properties;
import java.util.logging.Level;

/**
 * The operators' {@code node.*} keys.
 *
 * @param metricsListen where {@code GET /metrics} is served ({@code node.metrics.listen =
 *     host:port}); null (the default) serves no metrics
 * @param jsonLogs the member's log lines as one JSON object each ({@code node.log.format =
 *     json}; default {@code text})
 * @param healthIntervalMs how often the gRPC health status is re-evaluated ({@code
 *     node.health.interval-ms}, default 2000)
 * @param raftLogLevel the level from which Ratis' own log lines are written ({@code
 *     node.log.raft-level}, a java.util.logging level name; default {@code INFO}: elections,
 *     role changes, snapshots taken and installed, log purges, followers that fall behind)
 */
public record OpsConfig(InetSocketAddress metricsListen, boolean jsonLogs, long healthIntervalMs,
    Level raftLogLevel) {
  public static final List<String> KEYS = List.of("node.metrics.listen", "node.log.format",
      "node.health.interval-ms", "node.log.raft-level");
  private static final List<String> LEVELS = List.of("OFF", "SEVERE", "WARNING", "INFO",
      "CONFIG", "FINE", "FINER", "FINEST", "ALL");

  public static OpsConfig parse(Properties p) throws ConfigException {
    String listen = trimmed(p, "node.metrics.listen");
    InetSocketAddress metrics = null;
    if (listen != null && !listen.isEmpty()) {
      int colon = listen.lastIndexOf(':');
      int port = -1;
      try {
        port = colon < 1 ? -1 : Integer.parseInt(listen.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 0 || port > 65535) {
        throw new ConfigException("node.metrics.listen is '" + listen
            + "'; expected host:port (port 0..65535)");
      }
      metrics = new InetSocketAddress(listen.substring(0, colon), port);
    }
    String format = trimmed(p, "node.log.format");
    if (format != null && !format.equals("json") && !format.equals("text")) {
      throw new ConfigException("node.log.format is '" + format + "'; expected json or text");
    }
    String interval = trimmed(p, "node.health.interval-ms");
    long ms = 2000;
    if (interval != null) {
      try {
        ms = Long.parseLong(interval);
      } catch (NumberFormatException e) {
        ms = -1;
      }
      if (ms < 100 || ms > 3_600_000) {
        throw new ConfigException("node.health.interval-ms is '" + interval
            + "'; expected 100..3600000");
      }
    }
    String raft = trimmed(p, "node.log.raft-level");
    Level raftLevel = Level.INFO;
    if (raft != null) {
      if (!LEVELS.contains(raft)) {
        throw new ConfigException("node.log.raft-level is '" + raft + "'; expected one of "
            + String.join(", ", LEVELS));
      }
      raftLevel = Level.parse(raft);
    }
    return new OpsConfig(metrics, "json".equals(format), ms, raftLevel);
  }

  private static String trimmed(Properties p, String key) {
    String v = p.getProperty(key);
    return v == null ? null : v.trim();
  }
}
