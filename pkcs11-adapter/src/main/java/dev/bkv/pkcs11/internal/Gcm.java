package dev.bkv.pkcs11.internal;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKG_GENERATE_RANDOM;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKG_NO_GENERATE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKM_AES_GCM;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_BUFFER_TOO_SMALL;

import dev.bkv.pkcs11.Ckr;
import dev.bkv.pkcs11.GcmIv;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
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
 *
 * <p>Tokens that ignore or refuse a caller's IV (AWS CloudHSM, FIPS-mode HSMs) are found once per
 * module ({@link #ivMode}) and encrypt through {@code C_EncryptMessage} with
 * {@code CKG_GENERATE_RANDOM}; the IV the token chose comes back in the parameters
 * ({@link #encryptWithTokenIv}). The IV buffer handed over is random, never zero: a token that
 * honours it after all encrypts under a random IV, not under IV 0.
 */
public final class Gcm {
  /** Modules whose single-part GCM output is too small for the tag. */
  private static final Map<PKCS11Module, Boolean> MESSAGE_API = new ConcurrentHashMap<>();

  /** How each module takes GCM IVs, once found. */
  private static final Map<PKCS11Module, GcmIv> IV_MODE = new ConcurrentHashMap<>();
  private static final byte[] PROBE = "bkv gcm iv probe".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PROBE_AAD = "bkv".getBytes(StandardCharsets.US_ASCII);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int IV_BYTES = 12;

  private Gcm() {}

  /**
   * What {@link #ivMode} found: the mode, or empty with what each way did.
   *
   * @param mode     how the token takes IVs, if either way works
   * @param callerIv what two encryptions of one block under one caller IV did
   * @param tokenIv  what {@code C_EncryptMessage} with {@code CKG_GENERATE_RANDOM} did ("" if untried)
   */
  public record IvProbe(Optional<GcmIv> mode, String callerIv, String tokenIv) {}

  /**
   * Finds, once per module, how it takes GCM IVs: a fixed block encrypted twice under one random
   * IV must give the same output (the caller's IV is honoured); otherwise the token must return
   * its own IV through the message interface, proved by decrypting under that IV.
   */
  public static IvProbe ivMode(Session s, long key, int tagBytes) {
    PKCS11Module m = s.getModule();
    GcmIv known = m == null ? null : IV_MODE.get(m);
    if (known != null) {
      return new IvProbe(Optional.of(known), "remembered", "");
    }
    byte[] iv = randomIv();
    byte[] a = null;
    byte[] b = null;
    String callerIv;
    try {
      a = encrypt(s, key, iv, PROBE_AAD, PROBE, tagBytes);
      b = encrypt(s, key, iv, PROBE_AAD, PROBE, tagBytes);
      callerIv = Arrays.equals(a, b) ? "honoured" : "ignored: two encryptions under one IV differ";
    } catch (PKCS11Exception e) {
      callerIv = "refused: " + Ckr.of(e.getErrorCode()).name();
    }
    boolean tokenIvWorks = false;
    String tokenIv = "";
    if (a == null || !Arrays.equals(a, b)) {
      try {
        byte[][] r = encryptWithTokenIv(s, key, PROBE_AAD, PROBE, tagBytes);
        tokenIvWorks = Arrays.equals(PROBE, s.decryptSingle(mechanism(r[0], PROBE_AAD, tagBytes), key, r[1]));
        tokenIv = tokenIvWorks ? "works" : "its IV does not decrypt the output";
      } catch (PKCS11Exception e) {
        tokenIv = "refused: " + Ckr.of(e.getErrorCode()).name();
      }
    }
    Optional<GcmIv> mode = choose(a, b, tokenIvWorks);
    if (m != null) {
      mode.ifPresent(x -> IV_MODE.put(m, x));
    }
    return new IvProbe(mode, callerIv, tokenIv);
  }

  /**
   * The choice: equal outputs of two encryptions under one caller IV ({@code null} if refused)
   * mean the token honours caller IVs; otherwise the token's own IV if it returns one.
   */
  public static Optional<GcmIv> choose(byte[] first, byte[] second, boolean tokenIvWorks) {
    if (first != null && second != null && Arrays.equals(first, second)) {
      return Optional.of(GcmIv.CALLER);
    }
    return tokenIvWorks ? Optional.of(GcmIv.TOKEN_GENERATED) : Optional.empty();
  }

  /** Whether {@code iv} is all zero (never used as a caller IV, never accepted from a token). */
  public static boolean allZero(byte[] iv) {
    int acc = 0;
    for (byte x : iv) {
      acc |= x;
    }
    return acc == 0;
  }

  /**
   * {@code {iv, ciphertext || tag}}: GCM through {@code C_EncryptMessage} with
   * {@code CKG_GENERATE_RANDOM}, the IV being the one the token wrote into the parameters.
   */
  public static byte[][] encryptWithTokenIv(Session s, long key, byte[] aad, byte[] plaintext,
                                            int tagBytes) throws PKCS11Exception {
    GCM_MESSAGE_PARAMS p = new GCM_MESSAGE_PARAMS(randomIv(), 0, CKG_GENERATE_RANDOM,
        new byte[tagBytes]);
    byte[] out = encryptMessage(s, key, p, aad, plaintext, tagBytes);
    return new byte[][] {p.getParams().pIv.clone(), out};
  }

  private static byte[] randomIv() {
    byte[] iv = new byte[IV_BYTES];
    do {
      RANDOM.nextBytes(iv);
    } while (allZero(iv));
    return iv;
  }

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
    GCM_MESSAGE_PARAMS p = new GCM_MESSAGE_PARAMS(iv.clone(), 0, CKG_NO_GENERATE,
        new byte[tagBytes]);
    return encryptMessage(s, key, p, aad, plaintext, tagBytes);
  }

  /** One message encrypted under {@code p} with the message interface: ciphertext || tag. */
  private static byte[] encryptMessage(Session s, long key, GCM_MESSAGE_PARAMS p, byte[] aad,
      byte[] plaintext, int tagBytes) throws PKCS11Exception {
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
