package dev.bkv.pkcs11;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

/** The PKCS#11 object classes bkv meets ({@code CKO_*}). */
public enum ObjectClass {
  DATA(CKO_DATA),
  CERTIFICATE(CKO_CERTIFICATE),
  PUBLIC_KEY(CKO_PUBLIC_KEY),
  PRIVATE_KEY(CKO_PRIVATE_KEY),
  SECRET_KEY(CKO_SECRET_KEY),
  OTHER(-1);

  private final long cko;

  ObjectClass(long cko) {
    this.cko = cko;
  }

  /** The {@code CKO_*} value; {@code -1} for {@link #OTHER}. */
  public long cko() {
    return cko;
  }

  public static ObjectClass of(long cko) {
    for (ObjectClass c : values()) {
      if (c.cko == cko) {
        return c;
      }
    }
    return OTHER;
  }
}
