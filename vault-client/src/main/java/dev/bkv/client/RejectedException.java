package dev.bkv.client;

import java.util.Objects;

/**
 * The fleet refused the request: already registered, bad input, no valid tenant token, the
 * session expired or the record changed during the flow. {@link #reason()} says which (typed,
 * from the fleet channel's refusal or from the gRPC status before the channel); {@link #code()}
 * is the gRPC status name the refusal stands for.
 */
public final class RejectedException extends VaultClientException {
  private static final long serialVersionUID = 1L;
  private final Rejection reason;
  private final String code;

  public RejectedException(Rejection reason, String code, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.code = Objects.requireNonNull(code, "code");
  }

  /** A refusal known only by its gRPC status name; {@link #reason()} is read from it. */
  public RejectedException(String code, String message, Throwable cause) {
    this(Rejection.ofCodeName(code), code, message, cause);
  }

  /** Why the fleet refused. */
  public Rejection reason() {
    return reason;
  }

  /** The gRPC status name ({@code NOT_FOUND}, {@code ABORTED}, …), or {@code CLIENT}. */
  public String code() {
    return code;
  }
}
