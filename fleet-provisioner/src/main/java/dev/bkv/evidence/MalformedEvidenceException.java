package dev.bkv.evidence;

/** Bad input: not JSON, a missing field, a wrong schema id or encoding. */
public final class MalformedEvidenceException extends EvidenceException {
  private static final long serialVersionUID = 1L;

  public MalformedEvidenceException(String message) {
    super(message);
  }

  public MalformedEvidenceException(String message, Throwable cause) {
    super(message, cause);
  }
}
