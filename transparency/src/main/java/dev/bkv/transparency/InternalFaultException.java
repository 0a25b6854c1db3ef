package dev.bkv.transparency;

/**
 * An internal fault, not the caller's input: an I/O failure, a failing key store, or on-disk log
 * files that contradict each other.
 */
public final class InternalFaultException extends TransparencyException {

  private static final long serialVersionUID = 1L;

  public InternalFaultException(String message) {
    super(message);
  }

  public InternalFaultException(String message, Throwable cause) {
    super(message, cause);
  }
}
