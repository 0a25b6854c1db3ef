package dev.bkv.transparency;

import java.util.Objects;

/** The input is not well-formed; the message names the bad value and what was expected. */
public final class MalformedInputException extends TransparencyException {

  private static final long serialVersionUID = 1L;

  /** What kind of input was malformed. */
  public enum Problem {
    /** A signed note violates the C2SP signed-note syntax. */
    MALFORMED_NOTE,
    /** A note is larger than the configured byte limit. */
    NOTE_TOO_LARGE,
    /** A note carries more signature lines than the configured limit. */
    TOO_MANY_SIGNATURES,
    /** A key name is empty or contains a space or '+'. */
    BAD_KEY_NAME,
    /** A verifier key string or public key is malformed or has the wrong key ID. */
    BAD_KEY,
    /** A hash is not 32 bytes or not valid base64. */
    BAD_HASH,
    /** A checkpoint body violates C2SP tlog-checkpoint. */
    MALFORMED_CHECKPOINT,
    /** A tree size, index or proof shape is out of range. */
    BAD_TREE_ARGUMENT,
    /** A log entry is empty or too large for an entry bundle. */
    BAD_ENTRY
  }

  private final Problem problem;

  public MalformedInputException(Problem problem, String message) {
    super(message);
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  public MalformedInputException(Problem problem, String message, Throwable cause) {
    super(message, cause);
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  public Problem problem() {
    return problem;
  }
}
