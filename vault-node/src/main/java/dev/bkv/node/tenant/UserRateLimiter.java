package dev.bkv.node.tenant;

import dev.bkv.node.store.UserId;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per user id, on top of the attempt limit: each user may start {@code perMinute}
 * operations a minute on average, and up to {@code burst} at once. Implemented as GCRA (one
 * "theoretical arrival time" per user), which behaves exactly like a bucket of {@code burst}
 * tokens refilled at {@code perMinute}/60 s.
 *
 * <p>Memory is bounded: at most {@code maxTracked} users are remembered; beyond that the one idle
 * longest is forgotten. A forgotten user whose bucket was already full loses nothing; one whose
 * bucket was not yet full starts again with a full bucket (counted by
 * {@link #evictedBeforeRefill()}). Call it after the tenant token is verified, so only the app
 * backend's users occupy it. Thread-safe.
 */
public final class UserRateLimiter {
  public static final int DEFAULT_PER_MINUTE = 60;
  public static final int DEFAULT_BURST = 20;
  public static final int DEFAULT_MAX_TRACKED = 100_000;

  private static final long MINUTE_NANOS = 60_000_000_000L;

  private final long intervalNanos;
  private final long toleranceNanos;
  private final int maxTracked;
  private final Clock clock;
  private final LinkedHashMap<UserId, long[]> arrivals;
  private long evictedBeforeRefill;
  private long lastNow;

  /**
   * @param perMinute sustained operations per user per minute ({@code node.rate.user-per-minute})
   * @param burst operations a rested user may start at once ({@code node.rate.user-burst})
   * @param maxTracked users remembered at most
   * @param clock time source (injected for tests)
   */
  public UserRateLimiter(int perMinute, int burst, int maxTracked, Clock clock) {
    if (perMinute < 1 || perMinute > 60_000) {
      throw new IllegalArgumentException("per-user rate is " + perMinute
          + " a minute; expected 1..60000");
    }
    if (burst < 1 || burst > 10_000) {
      throw new IllegalArgumentException("per-user burst is " + burst + "; expected 1..10000");
    }
    if (maxTracked < 1) {
      throw new IllegalArgumentException("tracked users is " + maxTracked + "; expected > 0");
    }
    this.intervalNanos = MINUTE_NANOS / perMinute;
    this.toleranceNanos = intervalNanos * (burst - 1);
    this.maxTracked = maxTracked;
    this.clock = clock;
    this.arrivals = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<UserId, long[]> eldest) {
        if (size() <= UserRateLimiter.this.maxTracked) {
          return false;
        }
        if (eldest.getValue()[0] > lastNow) { // not yet back to a full bucket
          evictedBeforeRefill++;
        }
        return true;
      }
    };
  }

  /** With the default limit on tracked users. */
  public UserRateLimiter(int perMinute, int burst, Clock clock) {
    this(perMinute, burst, DEFAULT_MAX_TRACKED, clock);
  }

  /** Takes one token from {@code user}'s bucket: true if there was one, false if rate limited. */
  public boolean tryAcquire(UserId user) {
    long now = nanos(clock.instant());
    synchronized (arrivals) {
      lastNow = now;
      long[] tat = arrivals.get(user);
      long start = tat == null ? now : Math.max(tat[0], now);
      if (start - now > toleranceNanos) {
        return false;
      }
      if (tat == null) {
        arrivals.put(user, new long[] {start + intervalNanos});
      } else {
        tat[0] = start + intervalNanos;
      }
      return true;
    }
  }

  /** Users currently remembered (at most {@code maxTracked}). */
  public int tracked() {
    synchronized (arrivals) {
      return arrivals.size();
    }
  }

  /** Users forgotten while their bucket was not yet full again. */
  public long evictedBeforeRefill() {
    synchronized (arrivals) {
      return evictedBeforeRefill;
    }
  }

  private static long nanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }
}
