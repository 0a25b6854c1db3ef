package dev.bkv.retirement;

import dev.bkv.provisioner.ProvisionerException;

/** A retirement step refused: its message names the epoch, the member or the value at fault. */
public class RetirementException extends ProvisionerException {
  private static final long serialVersionUID = 1L;

  public RetirementException(String message) {
    super(message);
  }

  public RetirementException(String message, Throwable cause) {
    super(message, cause);
  }
}
