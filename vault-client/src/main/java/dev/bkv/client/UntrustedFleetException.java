package dev.bkv.client;

/**
 * The server is not the fleet the trust anchor names (another AKE key), or sent malformed
 * protocol messages. Nothing secret was sent to it beyond what OPAQUE reveals.
 */
public final class UntrustedFleetException extends VaultClientException {
  private static final long serialVersionUID = 1L;

  public UntrustedFleetException(String message, Throwable cause) {
    super(message, cause);
  }
}
