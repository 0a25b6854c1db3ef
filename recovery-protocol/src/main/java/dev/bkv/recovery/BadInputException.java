package dev.bkv.recovery;

/**
 * The peer (or caller) supplied malformed data: wrong length, a point not on the curve, the
 * identity, a non-canonical encoding. The message names the bad value and what was expected.
 */
public final class BadInputException extends RecoveryException {
  private static final long serialVersionUID = 1L;

  public BadInputException(String message) {
    super(message);
  }
}
