package dev.bkv.recovery;

import java.security.GeneralSecurityException;

/**
 * Root of every checked error raised by the recovery-protocol module (group math, hash-to-curve,
 * OPRF, OPAQUE and sealing). Callers that only need to know "the exchange failed" catch this;
 * callers that map errors to user-facing outcomes catch one of the three subtypes.
 */
public abstract sealed class RecoveryException extends GeneralSecurityException
    permits BadInputException, AuthenticationFailedException, InternalFaultException {
  private static final long serialVersionUID = 1L;

  protected RecoveryException(String message) {
    super(message);
  }

  protected RecoveryException(String message, Throwable cause) {
    super(message, cause);
  }
}
