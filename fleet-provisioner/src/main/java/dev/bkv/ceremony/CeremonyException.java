package dev.bkv.ceremony;

import java.security.GeneralSecurityException;

/**
 * The ceremony could not complete. The message says at which step, why, what state the tokens
 * were left in, and what to do next.
 */
public final class CeremonyException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  public CeremonyException(String message) {
    super(message);
  }

  public CeremonyException(String message, Throwable cause) {
    super(message, cause);
  }
}
