package dev.bkv.node.service.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ExpiringSessionsTest {
  /** A clock the test moves by hand. */
  private static final class ManualClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final ManualClock clock = new ManualClock();
  private final ExpiringSessions<String> s =
      new ExpiringSessions<>(16, 1000, 2, clock, new SecureRandom());

  @Test
  void entriesAreTakenOnceAndExpire() {
    byte[] a = s.put("a");
    assertEquals(16, a.length);
    assertEquals("a", s.take(a));
    assertNull(s.take(a), "second take of the same id");
    byte[] b = s.put("b");
    clock.now = clock.now.plus(Duration.ofMillis(1001));
    assertNull(s.take(b), "expired");
    assertNull(s.take(new byte[15]), "wrong id length");
  }

  @Test
  void purgeExpiredDropsOnlyExpiredEntriesAndCountsThem() {
    byte[] a = s.put("a");
    clock.now = clock.now.plus(Duration.ofMillis(600));
    byte[] b = s.put("b");
    assertEquals(0, s.purgeExpired());
    clock.now = clock.now.plus(Duration.ofMillis(500));
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
    clock.now = clock.now.plus(Duration.ofMillis(1001));
    assertNotNull(s.put("4"), "expired entries were purged");
  }
}
