package dev.bkv.ceremony;

/**
 * Test hook: called after each ceremony step. Throwing an exception simulates a failure the
 * ceremony sees (it rolls back); throwing an {@link Error} simulates the process dying (nothing
 * runs afterwards; the next run must clean up).
 */
@FunctionalInterface
public interface FaultInjector {
  FaultInjector NONE = (step, detail) -> { };

  /** @param detail the member id for per-member steps, else empty */
  void after(Ceremony.Step step, String detail) throws CeremonyException;
}
