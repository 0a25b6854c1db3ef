package dev.bkv.recovery;

/**
 * Something on our side is broken: a key holder (HSM) returned an impossible answer, a primitive
 * is missing from the JVM, or a derivation ran out of attempts. Not the peer's fault.
 */
public final class InternalFaultException extends RecoveryException {
  private static final long serialVersionUID = 1L;

  public InternalFaultException(String message) {
    super(message);
  }

  public InternalFaultException(String message, Throwable cause) {
    super(message, cause);
  }
}
