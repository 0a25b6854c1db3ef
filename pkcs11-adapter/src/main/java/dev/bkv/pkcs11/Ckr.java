package dev.bkv.pkcs11;

import org.xipki.pkcs11.wrapper.PKCS11Constants;

/**
 * A PKCS#11 return value ({@code CKR_*}): its numeric code and its name.
 *
 * @param code the {@code CK_RV} value as returned by the module
 * @param name the symbolic name, e.g. {@code CKR_PIN_INCORRECT}; vendor codes get a hex name
 */
public record Ckr(long code, String name) {

  static {
    dev.bkv.pkcs11.internal.ModuleRegistry.quiet();
  }

  public static final Ckr GENERAL_ERROR = of(PKCS11Constants.CKR_GENERAL_ERROR);
  public static final Ckr PIN_INCORRECT = of(PKCS11Constants.CKR_PIN_INCORRECT);
  public static final Ckr KEY_NOT_WRAPPABLE = of(PKCS11Constants.CKR_KEY_NOT_WRAPPABLE);
  public static final Ckr KEY_UNEXTRACTABLE = of(PKCS11Constants.CKR_KEY_UNEXTRACTABLE);
  public static final Ckr MECHANISM_INVALID = of(PKCS11Constants.CKR_MECHANISM_INVALID);
  public static final Ckr ATTRIBUTE_READ_ONLY = of(PKCS11Constants.CKR_ATTRIBUTE_READ_ONLY);
  /** {@code C_Login} as a user type the token does not have (NSS softokn has no SO). */
  public static final Ckr USER_TYPE_INVALID = of(PKCS11Constants.CKR_USER_TYPE_INVALID);

  public Ckr {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("CKR name is empty for code 0x" + Long.toHexString(code));
    }
  }

  /** The named value for a numeric code; unknown (vendor) codes are named {@code CKR_0x...}. */
  public static Ckr of(long code) {
    String name = PKCS11Constants.ckrCodeToName(code);
    if (name == null || !name.matches("CKR_[A-Z][A-Z0-9_]*")) {
      name = "CKR_0x" + Long.toHexString(code).toUpperCase(java.util.Locale.ROOT);
    }
    return new Ckr(code, name);
  }

  @Override
  public String toString() {
    return name;
  }
}
