package dev.bkv.evidence;

/**
 * Evidence that parses but fails a check: a signature, a proof of possession, an end-state rule,
 * or a comparison with a live token. The message names the member, object and rule.
 */
public final class EvidenceVerificationException extends EvidenceException {
  private static final long serialVersionUID = 1L;

  public EvidenceVerificationException(String message) {
    super(message);
  }
}
