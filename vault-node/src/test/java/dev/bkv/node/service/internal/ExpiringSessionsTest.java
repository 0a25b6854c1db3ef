package dev.bkv.node.service.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.bkv.node.testing.ManualClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ExpiringSessionsTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final ExpiringSessions<String> s =
      new ExpiringSessions<>(16, 1000, 2, clock, new SecureRandom());

  @Test
  void entriesAreTakenOnceAndExpire() {
    byte[] a = s.put("a");
    assertEquals(16, a.length);
    assertEquals("a", s.take(a));
    assertNull(s.take(a), "second take of the same id");
    byte[] b = s.put("b");
    clock.advance(Duration.ofMillis(1001));
    assertNull(s.take(b), "expired");
    assertNull(s.take(new byte[15]), "wrong id length");
  }

  @Test
  void purgeExpiredDropsOnlyExpiredEntriesAndCountsThem() {
    byte[] a = s.put("a");
    clock.advance(Duration.ofMillis(600));
    byte[] b = s.put("b");
    assertEquals(0, s.purgeExpired());
    clock.advance(Duration.ofMillis(500));
    assertEquals(1, s.purgeExpired(), "a expired, b not yet");
    assertNull(s.take(a));
    assertEquals("b", s.take(b));
    assertEquals(0, s.purgeExpired(), "taken entries are not counted");
  }

  @Test
  void capacityIsBoundedAndExpiredEntriesMakeRoom() {
    assertNotNull(s.put("1"));
    assertNotNull(s.put("2"));
    assertNull(s.put("3"), "full");
    clock.advance(Duration.ofMillis(1001));
    assertNotNull(s.put("4"), "expired entries were purged");
  }
}
