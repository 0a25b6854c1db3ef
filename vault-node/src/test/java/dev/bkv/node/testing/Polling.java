package dev.bkv.node.testing;

import java.time.Duration;

/** Polls a condition until it holds or a deadline passes; never a blind sleep. */
public final class Polling {
  public interface Condition {
    boolean holds() throws Exception;
  }

  public interface Probe<T> {
    T get() throws Exception;
  }

  private Polling() {}

  public static void until(Duration timeout, String what, Condition c) throws Exception {
    until(timeout, Duration.ofMillis(50), what, c);
  }

  /** Like {@link #until(Duration, String, Condition)}, checking every {@code interval}. */
  public static void until(Duration timeout, Duration interval, String what, Condition c)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (c.holds()) {
          return;
        }
      } catch (IllegalStateException e) {
        throw e;
      } catch (Exception e) {
        last = e;
      }
      Thread.sleep(interval.toMillis());
    }
    AssertionError err = new AssertionError("timed out after " + timeout + " waiting for " + what);
    if (last != null) {
      err.initCause(last);
    }
    throw err;
  }

  /** Polls {@code probe} until it returns a non-null value. */
  public static <T> T value(Duration timeout, String what, Probe<T> probe) throws Exception {
    return value(timeout, Duration.ofMillis(50), what, probe);
  }

  /** Like {@link #value(Duration, String, Probe)}, asking every {@code interval}. */
  public static <T> T value(Duration timeout, Duration interval, String what, Probe<T> probe)
      throws Exception {
    Object[] box = new Object[1];
    until(timeout, interval, what, () -> (box[0] = probe.get()) != null);
    @SuppressWarnings("unchecked")
    T t = (T) box[0];
    return t;
  }
}
