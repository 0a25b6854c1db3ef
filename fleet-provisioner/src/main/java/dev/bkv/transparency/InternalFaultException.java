package dev.bkv.transparency;

/** The on-disk log could not be read or written, or its files contradict each other. */
public final class LogStorageException extends TransparencyException {

  private static final long serialVersionUID = 1L;

  public LogStorageException(String message) {
    super(message);
  }

  public LogStorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
