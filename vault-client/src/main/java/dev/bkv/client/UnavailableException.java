package dev.bkv.client;

/** No member could serve the request (down, unreachable, or no Raft majority). Retry later. */
public final class UnavailableException extends VaultClientException {
  private static final long serialVersionUID = 1L;

  public UnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
