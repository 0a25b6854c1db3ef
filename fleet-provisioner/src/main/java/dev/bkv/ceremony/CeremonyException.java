package dev.bkv.ceremony;

import dev.bkv.provisioner.ProvisionerException;

/**
 * The ceremony could not complete. The message says at which step, why, what state the tokens
 * were left in, and what to do next.
 */
public final class CeremonyException extends ProvisionerException {
  private static final long serialVersionUID = 1L;

  public CeremonyException(String message) {
    super(message);
  }

  public CeremonyException(String message, Throwable cause) {
    super(message, cause);
  }
}
