package dev.bkv.node.service;

/**
 * Points where tests inject faults into a member's vault service; production uses {@link
 * #NONE}. A hook runs on the request's thread and may block, which is how fault-injection tests
 * widen a window: between a committed write and its answer (so that a client deadline loses the
 * reply of a write that took effect), or between a committed attempt and the HSM evaluation (so
 * that a crash leaves a counted attempt that was never evaluated).
 */
public interface ServiceHooks {
  /** No hooks. */
  ServiceHooks NONE = new ServiceHooks() {};

  /**
   * After a registration or password change has written its record and before the answer. A
   * retried registration answered as done does not call it.
   */
  default void afterWrite() throws InterruptedException {}

  /** After a login attempt has committed and before the HSM evaluates. */
  default void afterAttempt() throws InterruptedException {}
}
