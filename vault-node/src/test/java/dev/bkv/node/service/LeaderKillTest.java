package dev.bkv.node.service;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.client.LockedException;
import dev.bkv.client.VaultClient;
import dev.bkv.client.VaultClientException;
import dev.bkv.client.WrongPasswordException;
import dev.bkv.recovery.SecretBytes;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * SIGKILL of the Raft leader while 40 wrong guesses for one user run concurrently through the
 * other two members: at most 10 are answered with KE2 and the HSMs evaluated at most 10 times
 * for that user; acknowledged registrations still recover through the survivors, and the killed
 * member serves again after a restart.
 */
class LeaderKillTest {
  private static final int GUESSES = 40;

  @Test
  void guessLimitHoldsAndRecoveryWorksAcrossALeaderKill() throws Exception {
    SecureRandom rng = new SecureRandom();
    try (VaultFleet fleet = new VaultFleet("leader-kill")) {
      fleet.startAll();
      Map<String, SecretBytes> keys = new LinkedHashMap<>();
      String leader;
      try (VaultClient all = fleet.client(fleet.ids())) {
        for (int i = 0; i < 5; i++) {
          byte[] k = new byte[32];
          rng.nextBytes(k);
          keys.put("user-" + i, SecretBytes.copyOf(k));
          all.register(("user-" + i).getBytes(UTF_8), ("pw-" + i).getBytes(UTF_8),
              keys.get("user-" + i));
        }
        all.register("target".getBytes(UTF_8), "secret".getBytes(UTF_8), keys.get("user-0"));
        leader = all.status(0, null).shardLeaders().get("0");
        assertTrue(fleet.ids().contains(leader), "a leader is known: " + leader);
      }
      List<String> others = new ArrayList<>(fleet.ids());
      others.remove(leader);

      Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
      CountDownLatch started = new CountDownLatch(GUESSES / 4);
      ExecutorService pool = Executors.newFixedThreadPool(16);
      try (VaultClient survivors = fleet.client(others)) {
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < GUESSES; i++) {
          done.add(pool.submit(() -> {
            started.countDown();
            String kind;
            try {
              survivors.recover("target".getBytes(UTF_8), "guess".getBytes(UTF_8));
              kind = "recovered";
            } catch (VaultClientException e) {
              kind = e.getClass().getSimpleName();
            }
            outcomes.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
          }));
        }
        started.await(30, TimeUnit.SECONDS);
        fleet.kill(leader);
        for (Future<?> f : done) {
          f.get(120, TimeUnit.SECONDS);
        }
        int wrong = count(outcomes, "WrongPasswordException");
        assertTrue(wrong <= 10, "at most 10 guesses answered with KE2: " + outcomes);
        assertEquals(0, count(outcomes, "recovered"), outcomes.toString());
        long evaluations = 0;
        for (int i = 0; i < others.size(); i++) {
          evaluations += survivors.status(i, "target".getBytes(UTF_8)).loginEvaluations();
        }
        System.out.println("leader " + leader + " killed; outcomes " + outcomes
            + "; HSM evaluations for the user " + evaluations);
        assertTrue(evaluations <= 10, "HSM evaluations for the user: " + evaluations);
        assertEquals(wrong, evaluations, "every KE2 cost exactly one evaluation");
        if (count(outcomes, "LockedException") > 0) {
          assertThrows(LockedException.class,
              () -> survivors.recover("target".getBytes(UTF_8), "secret".getBytes(UTF_8)));
        }
      } finally {
        pool.shutdownNow();
      }

      // Every acknowledged registration recovers through the survivors (the client fails over
      // past the dead member), and through the killed member once it is back.
      try (VaultClient all = fleet.client(fleet.ids())) {
        for (Map.Entry<String, SecretBytes> e : keys.entrySet()) {
          String pw = "pw-" + e.getKey().substring("user-".length());
          assertTrue(e.getValue().equalsConstantTime(
              all.recover(e.getKey().getBytes(UTF_8), pw.getBytes(UTF_8))), e.getKey());
        }
      }
      fleet.start(leader);
      try (VaultClient back = fleet.client(List.of(leader))) {
        assertTrue(keys.get("user-3").equalsConstantTime(
            back.recover("user-3".getBytes(UTF_8), "pw-3".getBytes(UTF_8))));
        assertEquals(9, assertThrows(WrongPasswordException.class,
            () -> back.recover("user-4".getBytes(UTF_8), "no".getBytes(UTF_8))).attemptsLeft());
      }
      assertTrue(fleet.checkTokens() >= 4 * fleet.ids().size(),
          "every member's fleet keys were inventoried");
    }
  }

  private static int count(Map<String, AtomicInteger> m, String k) {
    AtomicInteger n = m.get(k);
    return n == null ? 0 : n.get();
  }
}
