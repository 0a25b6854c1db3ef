package dev.bkv.pkcs11;

/**
 * How a token releases the x-coordinate of an ECDH ({@code CKM_ECDH1_DERIVE}, {@code CKD_NULL}),
 * which the OPRF needs raw. Found once per token, on its first ECDH, and remembered.
 */
public enum EcdhRoute {
  /** The derived session secret is readable: its {@code CKA_VALUE} is the x-coordinate. */
  DIRECT("read: CKA_VALUE of an extractable derived secret"),
  /**
   * The token will not release the derived value ({@code CKR_ATTRIBUTE_SENSITIVE}, or it forces
   * {@code CKA_SENSITIVE=true} / {@code CKA_EXTRACTABLE=false} on a readable template): the
   * secret is derived extractable, wrapped with {@code CKM_AES_KEY_WRAP} (RFC 3394) under an
   * AES-256 session key whose value the host made, and unwrapped on the host.
   */
  WRAP_OUT("wrap-out: CKM_AES_KEY_WRAP under a host session key");

  private final String description;

  EcdhRoute(String description) {
    this.description = description;
  }

  /** One line for the check table. */
  public String description() {
    return description;
  }
}
