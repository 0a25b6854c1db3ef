package dev.bkv.node.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.node.store.UserId;
import dev.bkv.node.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class UserRateLimiterTest {
  private static final Instant START = Instant.parse("2026-12-07T10:00:00Z");

  private static UserId user(String name) {
    return new UserId(name.getBytes(StandardCharsets.UTF_8));
  }

  private static int drain(UserRateLimiter limiter, UserId u) {
    int n = 0;
    while (limiter.tryAcquire(u)) {
      n++;
    }
    return n;
  }

  @Test
  void aRestedUserGetsTheBurstThenWaits() {
    ManualClock clock = new ManualClock(START);
    UserRateLimiter limiter = new UserRateLimiter(60, 20, clock);
    assertEquals(20, drain(limiter, user("alice")));
    assertFalse(limiter.tryAcquire(user("alice")));
    assertTrue(limiter.tryAcquire(user("bob")), "buckets are per user");
  }

  @Test
  void tokensComeBackAtTheConfiguredRate() {
    ManualClock clock = new ManualClock(START);
    UserRateLimiter limiter = new UserRateLimiter(60, 20, clock); // one a second
    UserId alice = user("alice");
    drain(limiter, alice);
    clock.advance(Duration.ofMillis(999));
    assertFalse(limiter.tryAcquire(alice));
    clock.advance(Duration.ofMillis(1));
    assertTrue(limiter.tryAcquire(alice));
    assertFalse(limiter.tryAcquire(alice));
    clock.advance(Duration.ofSeconds(5));
    assertEquals(5, drain(limiter, alice));
    clock.advance(Duration.ofHours(1));
    assertEquals(20, drain(limiter, alice), "a bucket refills up to the burst, no further");
    // Sustained: 60 in a minute at one a second.
    int granted = 0;
    for (int i = 0; i < 120; i++) {
      clock.advance(Duration.ofMillis(500));
      granted += limiter.tryAcquire(alice) ? 1 : 0;
    }
    assertEquals(60, granted);
  }

  @Test
  void oddRatesAndBurstOne() {
    ManualClock clock = new ManualClock(START);
    UserRateLimiter limiter = new UserRateLimiter(7, 1, clock);
    UserId u = user("u");
    assertTrue(limiter.tryAcquire(u));
    assertFalse(limiter.tryAcquire(u));
    clock.advance(Duration.ofMillis(60_000 / 7 - 1));
    assertFalse(limiter.tryAcquire(u));
    clock.advance(Duration.ofMillis(2));
    assertTrue(limiter.tryAcquire(u));
  }

  @Test
  void memoryIsBoundedAndTheIdleAreForgottenFirst() {
    ManualClock clock = new ManualClock(START);
    UserRateLimiter limiter = new UserRateLimiter(60, 2, 3, clock);
    drain(limiter, user("a"));
    clock.advance(Duration.ofSeconds(10)); // a is full again
    drain(limiter, user("b"));
    drain(limiter, user("c"));
    assertEquals(3, limiter.tracked());
    assertTrue(limiter.tryAcquire(user("d"))); // forgets a, the idle one
    assertEquals(3, limiter.tracked());
    assertEquals(0, limiter.evictedBeforeRefill(), "a's bucket was full: nothing lost");
    assertFalse(limiter.tryAcquire(user("b")), "b is still remembered and empty");
    assertTrue(limiter.tryAcquire(user("e"))); // forgets c, not yet refilled
    assertEquals(1, limiter.evictedBeforeRefill());
    assertEquals(3, limiter.tracked());
    for (int i = 0; i < 10_000; i++) {
      limiter.tryAcquire(user("many-" + i));
    }
    assertEquals(3, limiter.tracked());
  }

  @Test
  void concurrentCallersShareOneBucket() throws Exception {
    UserRateLimiter limiter = new UserRateLimiter(60, 20,
        Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    AtomicInteger granted = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> calls = new ArrayList<>();
    try {
      for (int t = 0; t < 8; t++) {
        calls.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < 100; i++) {
            if (limiter.tryAcquire(user("shared"))) {
              granted.incrementAndGet();
            }
            limiter.tryAcquire(user("other-" + i));
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : calls) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(20, granted.get());
  }

  @Test
  void badSettingsAreNamed() {
    Clock c = Clock.systemUTC();
    assertEquals("per-user rate is 0 a minute; expected 1..60000",
        assertThrows(IllegalArgumentException.class, () -> new UserRateLimiter(0, 1, c))
            .getMessage());
    assertEquals("per-user burst is 0; expected 1..10000",
        assertThrows(IllegalArgumentException.class, () -> new UserRateLimiter(1, 0, c))
            .getMessage());
  }
}
