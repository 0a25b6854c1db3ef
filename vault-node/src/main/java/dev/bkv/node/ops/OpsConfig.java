package dev.bkv.node.ops;

import dev.bkv.node.raft.ConfigException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Properties;

/**
 * The operators' {@code node.*} keys.
 *
 * @param metricsListen where {@code GET /metrics} is served ({@code node.metrics.listen =
 *     host:port}); null (the default) serves no metrics
 * @param jsonLogs the member's log lines as one JSON object each ({@code node.log.format =
 *     json}; default {@code text})
 * @param healthIntervalMs how often the gRPC health status is re-evaluated ({@code
 *     node.health.interval-ms}, default 2000)
 */
public record OpsConfig(InetSocketAddress metricsListen, boolean jsonLogs, long healthIntervalMs) {
  public static final List<String> KEYS = List.of("node.metrics.listen", "node.log.format",
      "node.health.interval-ms");

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
    return new OpsConfig(metrics, "json".equals(format), ms);
  }

  private static String trimmed(Properties p, String key) {
    String v = p.getProperty(key);
    return v == null ? null : v.trim();
  }
}
