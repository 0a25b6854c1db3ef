package dev.bkv.evidence;

import dev.bkv.provisioner.ProvisionerException;

/**
 * Root of the evidence errors: {@link MalformedEvidenceException} for input that cannot be
 * parsed, {@link EvidenceVerificationException} for evidence that parses but fails a check.
 */
public class EvidenceException extends ProvisionerException {
  private static final long serialVersionUID = 1L;

  public EvidenceException(String message) {
    super(message);
  }

  public EvidenceException(String message, Throwable cause) {
    super(message, cause);
  }
}
