package dev.bkv.pkcs11;

/**
 * Authenticated decryption failed: the ciphertext, tag, IV or AAD is not what was sealed.
 * SoftHSM2 reports a bad AES-GCM tag as {@code CKR_GENERAL_ERROR}; other tokens use
 * {@code CKR_ENCRYPTED_DATA_INVALID}. Both end up here.
 */
public final class HsmAuthenticationException extends HsmException {
  private static final long serialVersionUID = 1L;

  public HsmAuthenticationException(String operation, Ckr ckr, Throwable cause) {
    super(operation, "authentication failed (" + ckr.name() + ")", ckr, cause);
  }
}
