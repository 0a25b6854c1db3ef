package dev.bkv.node.ops;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Keeps the standard gRPC health service ({@code grpc.health.v1.Health}) of the API server up to
 * date: {@code SERVING} while every check passes (each shard has a leader this member knows of,
 * the HSM token answers), {@code NOT_SERVING} otherwise. Re-evaluated every interval; the
 * overall status ("") and each named service get the same answer.
 */
public final class HealthReporter implements AutoCloseable {
  static final long RETRY_MS = 200;

  private final HealthStatusManager health;
  private final List<String> services;
  private final BooleanSupplier check;
  private final ScheduledExecutorService timer;
  private volatile boolean serving;

  private HealthReporter(HealthStatusManager health, List<String> services,
      BooleanSupplier check) {
    this.health = health;
    this.services = services;
    this.check = check;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "bkv-health");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Evaluates {@code check} now and then every {@code intervalMs}; while not serving, every
   * {@value #RETRY_MS} ms, so that a member that just found its leader says so at once.
   */
  public static HealthReporter start(HealthStatusManager health, List<String> services,
      BooleanSupplier check, long intervalMs) {
    HealthReporter r = new HealthReporter(health, services, check);
    r.update();
    long[] last = {System.nanoTime()};
    r.timer.scheduleWithFixedDelay(() -> {
      long now = System.nanoTime();
      if (!r.serving || now - last[0] >= TimeUnit.MILLISECONDS.toNanos(intervalMs)) {
        last[0] = now;
        r.update();
      }
    }, RETRY_MS, RETRY_MS, TimeUnit.MILLISECONDS);
    return r;
  }

  /** Re-evaluates the check and publishes the result. */
  void update() {
    boolean ok;
    try {
      ok = check.getAsBoolean();
    } catch (RuntimeException e) {
      ok = false;
    }
    serving = ok;
    ServingStatus s = ok ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, s);
    for (String name : services) {
      health.setStatus(name, s);
    }
  }

  /** The last published answer. */
  public boolean serving() {
    return serving;
  }

  /** Stops re-evaluating and tells watchers the member is going away. */
  @Override
  public void close() {
    timer.shutdownNow();
    health.enterTerminalState();
  }
}
