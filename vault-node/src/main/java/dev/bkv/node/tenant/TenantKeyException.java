package dev.bkv.node.tenant;

import java.security.GeneralSecurityException;

/**
 * A tenant key file or key that bkv cannot use: unreadable, not JSON, not EC P-256, a private
 * key where only public keys belong (or the reverse), a missing or repeated {@code kid}. Bad
 * input, never an authentication failure.
 */
public final class TenantKeyException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  public TenantKeyException(String message) {
    super(message);
  }

  public TenantKeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
