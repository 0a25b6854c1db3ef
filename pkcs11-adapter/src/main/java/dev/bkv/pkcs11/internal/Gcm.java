package dev.bkv.pkcs11.internal;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKG_NO_GENERATE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKM_AES_GCM;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_BUFFER_TOO_SMALL;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.PKCS11Module;
import org.xipki.pkcs11.wrapper.Session;
import org.xipki.pkcs11.wrapper.params.GCM_MESSAGE_PARAMS;
import org.xipki.pkcs11.wrapper.params.GCM_PARAMS;

/**
 * AES-GCM encryption that fits every token's output sizing. Single-part {@code C_Encrypt} is
 * tried first; a module that answers {@code CKR_BUFFER_TOO_SMALL} (NSS softokn: its length
 * query reports the plaintext length, without room for the tag) is remembered and encrypted
 * through the PKCS#11 3.0 message interface ({@code C_EncryptMessage}), whose tag comes back in
 * the parameters. Both give {@code ciphertext || tag} under the caller's IV.
 */
public final class Gcm {
  /** Modules whose single-part GCM output is too small for the tag. */
  private static final Map<PKCS11Module, Boolean> MESSAGE_API = new ConcurrentHashMap<>();

  private Gcm() {}

  /** The mechanism for single-part GCM, recorded for error messages. */
  public static org.xipki.pkcs11.wrapper.Mechanism mechanism(byte[] iv, byte[] aad, int tagBytes) {
    return Involved.mechanism(CKM_AES_GCM, new GCM_PARAMS(iv.clone(), aad.clone(), tagBytes * 8));
  }

  /**
   * {@code ciphertext || tag} of {@code plaintext} under {@code key}, IV and AAD given. The first
   * encryption on a module runs single-part on a scratch session of the same token, so a
   * {@code CKR_BUFFER_TOO_SMALL} (which leaves the operation active) never lands on a pooled one.
   */
  public static byte[] encrypt(Session s, long key, byte[] iv, byte[] aad, byte[] plaintext,
                               int tagBytes) throws PKCS11Exception {
    PKCS11Module module = s.getModule();
    Boolean viaMessages = module == null ? Boolean.FALSE : MESSAGE_API.get(module);
    if (viaMessages == null) {
      Session scratch = s.getToken().openSession(false);
      try {
        byte[] out = scratch.encryptSingle(mechanism(iv, aad, tagBytes), key, plaintext);
        MESSAGE_API.put(module, Boolean.FALSE);
        return out;
      } catch (PKCS11Exception e) {
        if (e.getErrorCode() != CKR_BUFFER_TOO_SMALL) {
          throw e;
        }
        MESSAGE_API.put(module, Boolean.TRUE);
        viaMessages = Boolean.TRUE;
      } finally {
        try {
          scratch.closeSession();
        } catch (PKCS11Exception ignored) {
          // closing ends any operation left active
        }
      }
    }
    return viaMessages
        ? encryptMessage(s, key, iv, aad, plaintext, tagBytes)
        : s.encryptSingle(mechanism(iv, aad, tagBytes), key, plaintext);
  }

  /** Whether this module encrypts GCM through {@code C_EncryptMessage}. */
  public static boolean usesMessageApi(PKCS11Module module) {
    return Boolean.TRUE.equals(MESSAGE_API.get(module));
  }

  /** GCM through the message interface: {@code C_MessageEncryptInit}, one message, final. */
  public static byte[] encryptMessage(Session s, long key, byte[] iv, byte[] aad, byte[] plaintext,
                                      int tagBytes) throws PKCS11Exception {
    byte[] tag = new byte[tagBytes];
    GCM_MESSAGE_PARAMS p = new GCM_MESSAGE_PARAMS(iv.clone(), 0, CKG_NO_GENERATE, tag);
    s.messageEncryptInit(Involved.mechanism(CKM_AES_GCM), key);
    byte[] ct;
    try {
      ct = s.encryptMessage(p, aad.clone(), plaintext);
    } finally {
      s.messageEncryptFinal();
    }
    byte[] out = new byte[ct.length + tagBytes];
    System.arraycopy(ct, 0, out, 0, ct.length);
    System.arraycopy(p.getParams().pTag, 0, out, ct.length, tagBytes);
    return out;
  }
}
