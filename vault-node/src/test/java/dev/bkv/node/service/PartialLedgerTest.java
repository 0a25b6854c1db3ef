package dev.bkv.node.service;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.node.raft.Query;
import dev.bkv.node.store.UserId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The once-only ledger of partial evaluations: claims that share a force, and a restart. */
class PartialLedgerTest {
  @TempDir Path dir;

  private static UserId user(int i) {
    return new UserId(("user-" + i).getBytes(UTF_8));
  }

  @Test
  void anIndexIsClaimedOncePerUserAndPurposeAcrossARestart() throws Exception {
    Path file = dir.resolve("partials");
    try (PartialLedger l = new PartialLedger(file)) {
      assertTrue(l.claim(user(1), Query.Purpose.LOGIN, 7));
      assertFalse(l.claim(user(1), Query.Purpose.LOGIN, 7), "the same index twice");
      assertTrue(l.claim(user(1), Query.Purpose.REGISTRATION, 7), "another purpose");
      assertTrue(l.claim(user(2), Query.Purpose.LOGIN, 7), "another user");
    }
    assertEquals(3 * 25, Files.size(file));
    try (PartialLedger l = new PartialLedger(file)) {
      assertFalse(l.claim(user(1), Query.Purpose.LOGIN, 7), "remembered after a restart");
      assertFalse(l.claim(user(2), Query.Purpose.LOGIN, 7), "remembered after a restart");
      assertTrue(l.claim(user(1), Query.Purpose.LOGIN, 8));
    }
  }

  @Test
  void concurrentClaimsAreEachGrantedOnceAndAllOnDisk() throws Exception {
    Path file = dir.resolve("partials");
    int threads = 16;
    int perThread = 200;
    AtomicInteger granted = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (PartialLedger l = new PartialLedger(file)) {
      List<Future<?>> all = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        all.add(pool.submit(() -> {
          // Every thread tries every (user, index): each pair is granted to exactly one.
          for (int i = 0; i < perThread; i++) {
            if (l.claim(user(i % 10), Query.Purpose.LOGIN, i)) {
              granted.incrementAndGet();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : all) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(perThread, granted.get());
    assertEquals(perThread * 25L, Files.size(file));
    try (PartialLedger l = new PartialLedger(file)) {
      for (int i = 0; i < perThread; i++) {
        assertFalse(l.claim(user(i % 10), Query.Purpose.LOGIN, i), "index " + i + " durable");
      }
    }
  }
}
