package dev.bkv.node.service;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.bkv.client.ChannelCalls;
import dev.bkv.client.LockedException;
import dev.bkv.client.RejectedException;
import dev.bkv.client.VaultClient;
import dev.bkv.client.WrongPasswordException;
import dev.bkv.node.api.RecoverFinishRequest;
import dev.bkv.node.api.RecoverStartRequest;
import dev.bkv.node.api.RecoverStartResponse;
import dev.bkv.node.api.Tls;
import dev.bkv.node.ops.PrometheusText;
import dev.bkv.opaque.ClientLogin;
import dev.bkv.node.testing.Polling;
import dev.bkv.recovery.SecretBytes;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Scrapes a running member's {@code /metrics} before and after a registration, a wrong guess, a
 * recovery and a lockout, all through that member: each counter moves by exactly what was done,
 * the HSM and Raft gauges are there, and no user id, password or key appears in the scrape.
 */
class MetricsTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static PrometheusText scrape(VaultFleet fleet, String id) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(fleet.metricsUri(id))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    return PrometheusText.parse(r.body());
  }

  private static String raw(VaultFleet fleet, String id) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(fleet.metricsUri(id)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  private static final List<String> COUNTERS = List.of("bkv_registrations_total",
      "bkv_recoveries_total", "bkv_wrong_passwords_total", "bkv_lockouts_total",
      "bkv_logins_refused_locked_total", "bkv_attempts_committed_total",
      "bkv_attempts_evaluated_total", "bkv_password_changes_total", "bkv_deletions_total",
      "bkv_logins_unfinished_total");

  private static Map<String, Double> moved(PrometheusText before, PrometheusText after) {
    Map<String, Double> out = new TreeMap<>();
    for (String c : COUNTERS) {
      double d = after.sum(c) - before.sum(c);
      if (d != 0) {
        out.put(c, d);
      }
    }
    return out;
  }

  /**
   * Scrapes until the counters moved from {@code before} by exactly {@code expected} (unfinished
   * logins are counted once their session expired), or fails showing how they moved.
   */
  private static PrometheusText settled(VaultFleet fleet, PrometheusText before,
      Map<String, Double> expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      PrometheusText now = scrape(fleet, "m1");
      Map<String, Double> moved = moved(before, now);
      if (moved.equals(new TreeMap<>(expected)) || System.nanoTime() > deadline) {
        assertEquals(new TreeMap<>(expected), moved);
        return now;
      }
      Thread.onSpinWait();
      Thread.sleep(100); // polling a remote process; the deadline bounds it
    }
  }

  @Test
  void countersMoveByWhatWasDoneAndRaftAndHsmFiguresAreThere() throws Exception {
    try (VaultFleet fleet = new VaultFleet("metrics")) {
      for (String id : fleet.ids()) {
        fleet.setConfig(id, "node.attempt-limit", "3");
        fleet.setConfig(id, "node.session-ttl-ms", "500");
      }
      fleet.startAll();
      byte[] user = ("metrics-user-" + HexFormat.of().formatHex(new SecureRandom()
          .generateSeed(4))).getBytes(UTF_8);
      byte[] password = "pw-right-horse".getBytes(UTF_8);
      SecretBytes key = SecretBytes.copyOf(new SecureRandom().generateSeed(32));
      try (VaultClient m1 = fleet.client(List.of("m1"))) {
        PrometheusText start = scrape(fleet, "m1");
        assertEquals(0, start.sum("bkv_registrations_total"));
        assertEquals(1, start.find("bkv_registrations_total").size(), "counter registered");

        m1.register(user, password, key);
        PrometheusText registered = settled(fleet, start, Map.of("bkv_registrations_total", 1.0));

        // A wrong password: bkv's client sees it in KE2 and never sends KE3.
        assertThrows(WrongPasswordException.class, () -> m1.recover(user, "nope".getBytes(UTF_8)));
        PrometheusText wrong = settled(fleet, registered, Map.of("bkv_attempts_committed_total",
            1.0, "bkv_attempts_evaluated_total", 1.0, "bkv_logins_unfinished_total", 1.0));

        // A KE3 that does not verify.
        ManagedChannel ch = Grpc.newChannelBuilderForAddress(fleet.endpoint("m1").host(),
            fleet.endpoint("m1").port(), Tls.client(fleet.caPem())).build();
        try {
          ChannelCalls calls = fleet.calls(ch);
          ClientLogin login = ClientLogin.start(VaultFleet.suite(), "guess".getBytes(UTF_8),
              new SecureRandom());
          RecoverStartResponse r = calls.recoverStart(user, RecoverStartRequest.newBuilder()
              .setKe1(ByteString.copyFrom(login.ke1().toBytes())).build());
          RejectedException e = assertThrows(RejectedException.class,
              () -> calls.recoverFinish(user, RecoverFinishRequest.newBuilder()
                  .setSessionId(r.getKe2().getSessionId())
                  .setKe3(ByteString.copyFrom(new byte[32])).build()));
          assertEquals("UNAUTHENTICATED", e.code());
        } finally {
          ch.shutdownNow();
        }
        PrometheusText badKe3 = settled(fleet, wrong, Map.of("bkv_wrong_passwords_total", 1.0,
            "bkv_attempts_committed_total", 1.0, "bkv_attempts_evaluated_total", 1.0));

        assertTrue(key.equalsConstantTime(m1.recover(user, password)));
        PrometheusText recovered = settled(fleet, badKe3, Map.of("bkv_recoveries_total", 1.0,
            "bkv_attempts_committed_total", 1.0, "bkv_attempts_evaluated_total", 1.0));
        // The recovery was timed stage by stage on the member that served it.
        for (String stage : List.of("attempt-commit", "evaluation", "ke2", "finish-check",
            "open")) {
          assertEquals(1.0, recovered.sum("bkv_login_stage_seconds_count", "stage", stage)
              - badKe3.sum("bkv_login_stage_seconds_count", "stage", stage), stage);
        }

        for (int i = 0; i < 3; i++) {
          assertThrows(WrongPasswordException.class,
              () -> m1.recover(user, "nope".getBytes(UTF_8)));
        }
        assertThrows(LockedException.class, () -> m1.recover(user, password));
        PrometheusText locked = settled(fleet, recovered, Map.of("bkv_attempts_committed_total",
            4.0, "bkv_attempts_evaluated_total", 3.0, "bkv_lockouts_total", 1.0,
            "bkv_logins_unfinished_total", 3.0));

        assertThrows(LockedException.class, () -> m1.recover(user, password));
        PrometheusText refused = settled(fleet, locked, Map.of(
            "bkv_logins_refused_locked_total", 1.0, "bkv_attempts_committed_total", 1.0));

        // Other members served none of it.
        assertEquals(0, scrape(fleet, "m2").sum("bkv_attempts_evaluated_total"));

        // HSM: timings by kind and CKR_* result, session pool.
        assertTrue(refused.sum("bkv_hsm_operation_seconds_count", "result", "CKR_OK")
            > start.sum("bkv_hsm_operation_seconds_count", "result", "CKR_OK"));
        assertTrue(refused.value("bkv_hsm_sessions_in_use").isPresent());
        assertTrue(refused.value("bkv_hsm_sessions_idle").orElseThrow() >= 0);

        // Raft: one role per shard, indexes that moved, every peer's commit index and lag.
        assertEquals(1.0, refused.sum("bkv_raft_role", "shard", "0"));
        assertTrue(refused.value("bkv_raft_commit_index", "shard", "0").orElseThrow()
            > start.value("bkv_raft_commit_index", "shard", "0").orElseThrow());
        assertTrue(refused.value("bkv_raft_applied_index", "shard", "0").orElseThrow() > 0);
        assertTrue(refused.value("bkv_raft_snapshot_index", "shard", "0").isPresent());
        assertTrue(refused.value("bkv_raft_snapshot_age_seconds", "shard", "0").isPresent());
        for (String peer : fleet.ids()) {
          assertTrue(refused.value("bkv_raft_peer_lag", "shard", "0", "peer", peer).isPresent(),
              peer);
          assertTrue(refused.value("bkv_raft_peer_commit_index", "shard", "0", "peer", peer)
              .isPresent(), peer);
        }
        double leaders = 0;
        for (String id : fleet.ids()) {
          leaders += scrape(fleet, id).sum("bkv_raft_role", "shard", "0", "role", "leader");
        }
        assertEquals(1.0, leaders, "exactly one member leads shard 0");
        Polling.until(Duration.ofSeconds(20), "m1 reports SERVING",
            () -> scrape(fleet, "m1").sum("bkv_health_serving") == 1.0);

        String text = raw(fleet, "m1");
        assertFalse(text.contains(new String(user, UTF_8)), "user id in metrics");
        assertFalse(text.contains(HexFormat.of().formatHex(user)), "user id (hex) in metrics");
        assertFalse(text.contains("pw-right-horse"), "password in metrics");
        assertFalse(text.contains(HexFormat.of().formatHex(key.copy())), "key in metrics");
      }
    }
  }
}
