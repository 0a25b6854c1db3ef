package dev.bkv.transparency;

/**
 * An internal fault, not the caller's input: an I/O failure, a failing key store, or on-disk log
 * files that contradict each other.
 */
public final class TransparencyFaultException extends TransparencyException {

  private static final long serialVersionUID = 1L;

  public TransparencyFaultException(String message) {
    super(message);
  }

  public TransparencyFaultException(String message, Throwable cause) {
    super(message, cause);
  }
}
