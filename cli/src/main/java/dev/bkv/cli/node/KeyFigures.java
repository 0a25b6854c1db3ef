package dev.bkv.cli.node;

import dev.bkv.cli.CliException;
import dev.bkv.cli.ExitCodes;
import dev.bkv.node.ops.PrometheusText;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** The figures {@code bkv node status --metrics} shows, read from a member's scrape. */
final class KeyFigures {
  private static final String[] COUNTERS = {"registrations", "recoveries", "wrong_passwords",
      "logins_unfinished", "lockouts", "logins_refused_locked", "attempts_committed",
      "attempts_evaluated"};

  private KeyFigures() {}

  static Map<String, Object> scrape(String endpoint) throws CliException {
    URI uri = uri(endpoint);
    String body;
    try {
      HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
          .build().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new CliException(ExitCodes.UNAVAILABLE, uri + " answered HTTP " + r.statusCode());
      }
      body = r.body();
    } catch (IOException e) {
      throw new CliException(ExitCodes.UNAVAILABLE, "cannot scrape " + uri + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.UNAVAILABLE, "interrupted scraping " + uri, e);
    }
    return figures(PrometheusText.parse(body));
  }

  static Map<String, Object> figures(PrometheusText t) {
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Object> shards = new TreeMap<>();
    for (PrometheusText.Sample s : t.find("bkv_raft_role")) {
      if (s.value() == 1.0) {
        String shard = s.labels().get("shard");
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("role", s.labels().get("role"));
        t.value("bkv_raft_rejoining", "shard", shard).filter(v -> v == 1.0)
            .ifPresent(v -> f.put("rejoining", true));
        put(f, "term", t, "bkv_raft_term", shard);
        put(f, "commitIndex", t, "bkv_raft_commit_index", shard);
        put(f, "appliedIndex", t, "bkv_raft_applied_index", shard);
        put(f, "snapshotIndex", t, "bkv_raft_snapshot_index", shard);
        t.value("bkv_raft_snapshot_age_seconds", "shard", shard).filter(v -> !v.isNaN())
            .ifPresent(v -> f.put("snapshotAgeSeconds", Math.round(v)));
        double lag = t.find("bkv_raft_peer_lag", "shard", shard).stream()
            .mapToDouble(PrometheusText.Sample::value).filter(v -> !Double.isNaN(v)).max()
            .orElse(Double.NaN);
        if (!Double.isNaN(lag)) {
          f.put("maxPeerLag", (long) lag);
        }
        Map<String, Object> peers = new TreeMap<>();
        for (PrometheusText.Sample m : t.find("bkv_raft_peer_match_index", "shard", shard)) {
          String peer = m.labels().get("peer");
          if (peer == null || Double.isNaN(m.value())) {
            continue;
          }
          Map<String, Object> p = new LinkedHashMap<>();
          p.put("matchIndex", (long) m.value());
          t.value("bkv_raft_peer_lag", "shard", shard, "peer", peer).filter(v -> !v.isNaN())
              .ifPresent(v -> p.put("lag", v.longValue()));
          peers.put(peer, p);
        }
        if (!peers.isEmpty()) {
          f.put("peers", peers);
        }
        shards.put(shard, f);
      }
    }
    out.put("shards", shards);
    Map<String, Object> counters = new LinkedHashMap<>();
    for (String c : COUNTERS) {
      counters.put(c, (long) t.sum("bkv_" + c + "_total"));
    }
    out.put("counters", counters);
    out.put("hsmErrors", (long) t.sum("bkv_hsm_errors_total"));
    return out;
  }

  private static void put(Map<String, Object> f, String key, PrometheusText t, String name,
      String shard) {
    t.value(name, "shard", shard).filter(v -> !v.isNaN()).ifPresent(v -> f.put(key,
        v.longValue()));
  }

  private static URI uri(String endpoint) throws CliException {
    String s = endpoint.contains("://") ? endpoint : "http://" + endpoint + "/metrics";
    try {
      URI u = URI.create(s);
      if (u.getHost() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) {
        throw new IllegalArgumentException("expected http://host:port/metrics or host:port");
      }
      return u;
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, "--metrics " + endpoint + ": " + e.getMessage(), e);
    }
  }
}
