package dev.bkv.transparency;

import java.security.GeneralSecurityException;

/**
 * Root of every checked error raised by {@code dev.bkv.transparency}.
 *
 * <p>Exactly three kinds exist, so callers can map them to distinct outcomes:
 * {@link MalformedInputException} (the input is malformed: reject it, do not retry),
 * {@link VerificationFailedException} (well-formed input whose cryptographic or structural check
 * failed: treat as an attack until shown otherwise) and {@link TransparencyFaultException} (not the
 * caller's fault: I/O failure, a failing key store, corrupted log files).
 */
public abstract sealed class TransparencyException extends GeneralSecurityException
    permits MalformedInputException, VerificationFailedException, TransparencyFaultException {

  private static final long serialVersionUID = 1L;

  TransparencyException(String message) {
    super(message);
  }

  TransparencyException(String message, Throwable cause) {
    super(message, cause);
  }
}
