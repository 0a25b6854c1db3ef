package dev.bkv.client;

/**
 * The fleet refused the request for a reason that retrying will not fix: already registered,
 * bad input, record changed during the flow. {@link #code()} is the gRPC status name.
 */
public final class RejectedException extends VaultClientException {
  private static final long serialVersionUID = 1L;
  private final String code;

  public RejectedException(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
