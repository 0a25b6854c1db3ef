package dev.bkv.transparency;

import java.util.Objects;

/** Well-formed input failed a signature, proof or consistency check. */
public final class VerificationFailedException extends TransparencyException {

  private static final long serialVersionUID = 1L;

  /** Why verification failed. */
  public enum Reason {
    /** No signature in the note is by a trusted key. */
    NO_TRUSTED_SIGNATURE,
    /** A signature by a trusted key does not verify. */
    INVALID_SIGNATURE,
    /** A proof recomputes to a root different from the expected one. */
    ROOT_MISMATCH,
    /** A proof has the wrong number of hashes for its tree sizes. */
    PROOF_SHAPE,
    /** A checkpoint names a different origin than the one expected. */
    ORIGIN_MISMATCH,
    /** Two tree heads cannot both be views of one append-only log. */
    INCONSISTENT_TREE,
    /** Fewer witnesses than a policy requires cosigned a checkpoint. */
    NOT_ENOUGH_COSIGNATURES,
    /** A key of the wrong role: a witness's cosignature key where the log's key is needed. */
    WRONG_KEY_ROLE
  }

  private final Reason reason;

  public VerificationFailedException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
