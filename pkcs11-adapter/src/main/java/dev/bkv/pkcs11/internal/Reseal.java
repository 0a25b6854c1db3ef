package dev.bkv.pkcs11.internal;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

import java.util.Arrays;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.Session;

/**
 * Sealing by unwrapping once more, for tokens that refuse to turn {@code CKA_EXTRACTABLE} off
 * with {@code C_SetAttributeValue} (AWS CloudHSM, YubiHSM): the key is wrapped under a fresh
 * session key ({@code CKM_AES_KEY_WRAP_PAD}, the token's own format, since the blob never leaves
 * it), unwrapped with the same attributes but {@code CKA_EXTRACTABLE=false}, and the extractable
 * original and the session key are destroyed. The new object is not {@code CKA_LOCAL} and not
 * {@code CKA_NEVER_EXTRACTABLE}, as a key sealed with {@code C_SetAttributeValue} is not either.
 */
public final class Reseal {
  private Reseal() {}

  /**
   * Whether {@code C_SetAttributeValue} failing with {@code ckr} is the token declining to change
   * the attribute (so unwrapping once more is the way), rather than a fault to pass on.
   */
  public static boolean refusal(long ckr) {
    return ckr == CKR_ATTRIBUTE_READ_ONLY || ckr == CKR_ACTION_PROHIBITED
        || ckr == CKR_FUNCTION_NOT_SUPPORTED || ckr == CKR_ATTRIBUTE_VALUE_INVALID
        || ckr == CKR_ATTRIBUTE_TYPE_INVALID || ckr == CKR_TEMPLATE_INCONSISTENT;
  }

  /**
   * Replaces the key {@code handle} by a copy unwrapped with {@code template} (which must say
   * {@code CKA_EXTRACTABLE=false}); returns the copy's handle. The original is destroyed only
   * after the copy exists.
   */
  public static long reunwrap(Session s, long handle, AttributeVector template) throws PKCS11Exception {
    long kek = s.generateKey(Involved.mechanism(CKM_AES_KEY_GEN), Involved.template(sessionKek()));
    try {
      byte[] blob = s.wrapKey(Involved.mechanism(CKM_AES_KEY_WRAP_PAD), kek, handle);
      long fresh;
      try {
        fresh = s.unwrapKey(Involved.mechanism(CKM_AES_KEY_WRAP_PAD), kek, blob,
            Involved.template(template));
      } finally {
        Arrays.fill(blob, (byte) 0);
      }
      s.destroyObject(handle);
      return fresh;
    } finally {
      s.destroyObject(kek);
    }
  }

  /** The session key the copy travels under: non-extractable, wrap and unwrap only. */
  static AttributeVector sessionKek() {
    return new AttributeVector().class_(CKO_SECRET_KEY).keyType(CKK_AES).valueLen(32).token(false)
        .private_(true).sensitive(true).extractable(false).wrap(true).unwrap(true).encrypt(false)
        .decrypt(false).sign(false).verify(false).derive(false);
  }
}
