package dev.bkv.pkcs11;

/**
 * Where the IV of an AES-GCM encryption comes from on a token. Either way the IV is an output of
 * the encryption, stored with the ciphertext ({@link GcmSealed}); bkv never hands a token an
 * all-zero IV to fill in, so a token that honours caller IVs never encrypts under IV 0.
 */
public enum GcmIv {
  /** The token encrypts under the caller's IV; bkv draws a random 12-byte IV per encryption. */
  CALLER("the caller's IV: bkv draws a random 12-byte IV for each encryption"),
  /**
   * The token ignores or refuses a caller's IV and makes its own (AWS CloudHSM, FIPS-mode HSMs):
   * bkv asks for it through {@code C_EncryptMessage} with {@code CKG_GENERATE_RANDOM} and reads
   * it back from the parameters.
   */
  TOKEN_GENERATED("the token's own IV (C_EncryptMessage with CKG_GENERATE_RANDOM), read back and "
      + "stored with the ciphertext");

  private final String description;

  GcmIv(String description) {
    this.description = description;
  }

  /** One line for the check table and the evidence. */
  public String description() {
    return description;
  }
}
