package dev.bkv.node.service;

import dev.bkv.node.ops.OpsConfig;
import dev.bkv.node.raft.ConfigException;
import dev.bkv.node.store.UserRecord;
import dev.bkv.node.tenant.TenantAuthority;
import dev.bkv.node.tenant.TenantConfig;
import dev.bkv.node.tenant.UserRateLimiter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The vault service's own {@code node.*} keys (the replication keys are {@link
 * dev.bkv.node.raft.NodeConfig}'s; {@link #replicationOnly} strips these before handing the
 * rest over).
 *
 * @param listenHost gRPC bind address ({@code node.listen = host:port})
 * @param listenPort gRPC port (0 picks a free one)
 * @param fleetId the fleet whose keys the token holds ({@code node.fleet-id}; labels
 *     {@code fleet/<id>/…})
 * @param epoch the fleet epoch new records are sealed under ({@code node.epoch}, default 1)
 * @param attemptLimit guesses before a record is destroyed ({@code node.attempt-limit}, 10)
 * @param opaqueContext the OPAQUE context string ({@code node.opaque-context}, default
 *     {@value #DEFAULT_CONTEXT}); clients must use the same
 * @param tlsCert PEM certificate chain ({@code node.tls.cert}); null only with plaintext
 * @param tlsKey PEM PKCS#8 private key ({@code node.tls.key})
 * @param plaintext serve without TLS ({@code node.plaintext = true}; never the default)
 * @param sessionTtlMs how long login state and login tokens wait ({@code node.session-ttl-ms},
 *     default 30000)
 * @param evaluationLog file the member appends each login evaluation and success to ({@code
 *     node.evaluation-log}, optional; see {@link EvaluationCounter})
 * @param statusUserEvaluations whether {@code Status} answers how many OPRF evaluations this
 *     member ran for a given user id ({@code node.status.user-evaluations}, default false): a
 *     diagnostic for operators that, open to everyone, would tell who has a record and when
 *     someone tried to log in
 * @param tenant whose tokens authorize user operations, and the per-user rate limit ({@code
 *     node.tenant.keys} required, {@code node.tenant.audience}, {@code node.tenant.max-ttl-s},
 *     {@code node.rate.user-per-minute}, {@code node.rate.user-burst}; docs/tenant-tokens.md)
 */
public record ServiceConfig(String listenHost, int listenPort, String fleetId, long epoch,
    int attemptLimit, String opaqueContext, Path tlsCert, Path tlsKey, boolean plaintext,
    long sessionTtlMs, Path evaluationLog, boolean statusUserEvaluations, TenantConfig tenant) {
  public static final String DEFAULT_CONTEXT = "bkv/v1";
  /** This class's keys and the operators' ({@link OpsConfig#KEYS}, parsed there). */
  static final List<String> KEYS = Stream.concat(Stream.of("node.listen", "node.fleet-id",
      "node.epoch", "node.attempt-limit", "node.opaque-context", "node.tls.cert",
      "node.tls.key", "node.plaintext", "node.session-ttl-ms", "node.evaluation-log",
      EvaluationLogFile.MAX_BYTES_KEY,
      "node.status.user-evaluations", "node.tenant.keys", "node.tenant.audience",
      "node.tenant.max-ttl-s", "node.rate.user-per-minute", "node.rate.user-burst"),
      Stream.concat(OpsConfig.KEYS.stream(), MigrationConfig.KEYS.stream())).toList();

  public ServiceConfig {
    if (fleetId == null || fleetId.isEmpty() || fleetId.contains("/")) {
      throw new IllegalArgumentException("node.fleet-id is '" + fleetId
          + "'; expected a non-empty id without '/'");
    }
    if (listenPort < 0 || listenPort > 65535) {
      throw new IllegalArgumentException("node.listen port " + listenPort + "; expected 0..65535");
    }
    if (attemptLimit < 1 || attemptLimit > UserRecord.MAX_LIMIT) {
      throw new IllegalArgumentException("node.attempt-limit is " + attemptLimit
          + "; expected 1.." + UserRecord.MAX_LIMIT);
    }
    if (epoch < 0 || sessionTtlMs < 100) {
      throw new IllegalArgumentException("node.epoch " + epoch + " / node.session-ttl-ms "
          + sessionTtlMs + " out of range");
    }
    if (!plaintext && (tlsCert == null || tlsKey == null)) {
      throw new IllegalArgumentException("TLS is on by default: set node.tls.cert and "
          + "node.tls.key, or node.plaintext = true explicitly");
    }
    if (tenant == null) {
      throw new IllegalArgumentException("no tenant settings: set node.tenant.keys");
    }
  }

  public byte[] contextBytes() {
    return opaqueContext.getBytes(StandardCharsets.UTF_8);
  }

  public static ServiceConfig parse(Properties p) throws ConfigException {
    String listen = get(p, "node.listen", null);
    if (listen == null) {
      throw new ConfigException("config key node.listen is missing (host:port for gRPC)");
    }
    int colon = listen.lastIndexOf(':');
    if (colon < 1) {
      throw new ConfigException("node.listen is '" + listen + "'; expected host:port");
    }
    String cert = get(p, "node.tls.cert", null);
    String key = get(p, "node.tls.key", null);
    boolean plain = flag(p, "node.plaintext");
    boolean userEvaluations = flag(p, "node.status.user-evaluations");
    String evaluationLog = get(p, "node.evaluation-log", null);
    String fleetId = get(p, "node.fleet-id", null);
    if (fleetId == null) {
      throw new ConfigException("config key node.fleet-id is missing (the fleet whose keys the "
          + "HSM holds as fleet/<id>/…)");
    }
    TenantConfig tenant = tenant(p, fleetId);
    try {
      return new ServiceConfig(listen.substring(0, colon),
          Integer.parseInt(listen.substring(colon + 1)), fleetId,
          Long.parseLong(get(p, "node.epoch", "1")),
          Integer.parseInt(get(p, "node.attempt-limit", "10")),
          get(p, "node.opaque-context", DEFAULT_CONTEXT),
          cert == null ? null : Path.of(cert), key == null ? null : Path.of(key),
          plain, Long.parseLong(get(p, "node.session-ttl-ms", "30000")),
          evaluationLog == null || evaluationLog.isEmpty() ? null : Path.of(evaluationLog),
          userEvaluations, tenant);
    } catch (NumberFormatException e) {
      throw new ConfigException("a number in node.listen/epoch/attempt-limit/session-ttl-ms "
          + "is not an integer: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }

  private static TenantConfig tenant(Properties p, String fleetId) throws ConfigException {
    String keys = get(p, "node.tenant.keys", "");
    try {
      return new TenantConfig(keys.isEmpty() ? null : Path.of(keys),
          get(p, "node.tenant.audience", fleetId),
          Duration.ofSeconds(number(p, "node.tenant.max-ttl-s",
              TenantAuthority.DEFAULT_MAX_TTL.toSeconds())),
          (int) number(p, "node.rate.user-per-minute", UserRateLimiter.DEFAULT_PER_MINUTE),
          (int) number(p, "node.rate.user-burst", UserRateLimiter.DEFAULT_BURST));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }

  private static long number(Properties p, String key, long dflt) throws ConfigException {
    String v = get(p, key, null);
    if (v == null) {
      return dflt;
    }
    try {
      long n = Long.parseLong(v);
      if (n < 0 || n > Integer.MAX_VALUE) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ConfigException(key + " is '" + v + "'; expected a whole number", e);
    }
  }

  /** A copy of {@code p} without this class's keys, for {@code NodeConfig.parse}. */
  public static Properties replicationOnly(Properties p) {
    Properties out = new Properties();
    for (String k : p.stringPropertyNames()) {
      if (!KEYS.contains(k)) {
        out.setProperty(k, p.getProperty(k));
      }
    }
    return out;
  }

  private static boolean flag(Properties p, String key) throws ConfigException {
    String v = get(p, key, "false");
    if (!v.equals("true") && !v.equals("false")) {
      throw new ConfigException(key + " is '" + v + "'; expected true or false");
    }
    return v.equals("true");
  }

  private static String get(Properties p, String key, String dflt) {
    String v = p.getProperty(key);
    return v == null ? dflt : v.trim();
  }
}
