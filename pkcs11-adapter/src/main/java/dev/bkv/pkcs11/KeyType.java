package dev.bkv.pkcs11;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

import java.util.Arrays;

/** Key types bkv creates and recognizes. */
public enum KeyType {
  /** {@code CKK_EC} on NIST P-256. */
  EC_P256(CKK_EC),
  /** {@code CKK_EC_EDWARDS} on edwards25519. */
  ED25519(CKK_EC_EDWARDS),
  /** {@code CKK_AES}. */
  AES(CKK_AES),
  /** {@code CKK_GENERIC_SECRET} (HMAC keys). */
  GENERIC_SECRET(CKK_GENERIC_SECRET),
  /** {@code CKK_RSA}. */
  RSA(CKK_RSA),
  /** Any other type, or an EC key on another curve. */
  OTHER(-1);

  private static final byte[] P256_PARAMS = dev.bkv.pkcs11.internal.Curves.p256Params();
  private static final byte[] ED25519_PARAMS = dev.bkv.pkcs11.internal.Curves.ed25519Params();

  private final long ckk;

  KeyType(long ckk) {
    this.ckk = ckk;
  }

  /** The {@code CKK_*} value; {@code -1} for {@link #OTHER}. */
  public long ckk() {
    return ckk;
  }

  /** Classifies a key from its {@code CKA_KEY_TYPE} and, for EC types, {@code CKA_EC_PARAMS}. */
  public static KeyType of(long ckk, byte[] ecParams) {
    if (ckk == CKK_EC) {
      return Arrays.equals(P256_PARAMS, ecParams) ? EC_P256 : OTHER;
    }
    if (ckk == CKK_EC_EDWARDS) {
      return ecParams == null || Arrays.equals(ED25519_PARAMS, ecParams) || isEdwards25519Name(ecParams)
          ? ED25519 : OTHER;
    }
    for (KeyType t : values()) {
      if (t.ckk == ckk && t != EC_P256 && t != ED25519) {
        return t;
      }
    }
    return OTHER;
  }

  private static boolean isEdwards25519Name(byte[] params) {
    // PrintableString "edwards25519", an alternative encoding some tokens use
    return params.length > 2 && params[0] == 0x13
        && new String(params, 2, params.length - 2, java.nio.charset.StandardCharsets.US_ASCII)
            .equals("edwards25519");
  }
}
