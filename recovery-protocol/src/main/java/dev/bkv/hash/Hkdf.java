package dev.bkv.hash;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF-SHA256 (RFC 5869) and HMAC-SHA256 (RFC 2104), as RFC 9807 and the sealed backup key use them. */
public final class Hkdf {
  public static final int HASH_LENGTH = 32;

  private Hkdf() {}

  /** HMAC-SHA256 of the concatenation of {@code data} under {@code key} (which may be empty). */
  public static byte[] hmac(byte[] key, byte[]... data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      // A zero-length HMAC key is legal (RFC 2104) but SecretKeySpec refuses it; HMAC pads the
      // key with zeros to the block size, so one zero byte is the same key.
      mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
      for (byte[] d : data) {
        mac.update(d);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** Extract(salt, ikm); RFC 9807 always uses an empty salt (= 32 zero bytes for HMAC). */
  public static byte[] extract(byte[] salt, byte[] ikm) {
    return hmac(salt.length == 0 ? new byte[HASH_LENGTH] : salt, ikm);
  }

  /** The longest HKDF-Expand output, 255·32 bytes (RFC 5869 §2.3). */
  public static final int MAX_EXPAND_LENGTH = 255 * HASH_LENGTH;

  /**
   * Expand(prk, info, length).
   *
   * @throws IllegalArgumentException if {@code length} is negative or over 255·32 = 8160
   */
  public static byte[] expand(byte[] prk, byte[] info, int length) {
    if (length < 0 || length > MAX_EXPAND_LENGTH) {
      throw new IllegalArgumentException("HKDF-Expand length is " + length
          + " bytes; expected 0 to " + MAX_EXPAND_LENGTH + " (255 x 32)");
    }
    byte[] out = new byte[length];
    byte[] t = new byte[0];
    int off = 0;
    for (int i = 1; off < length; i++) {
      t = hmac(prk, t, info, new byte[] {(byte) i});
      int n = Math.min(HASH_LENGTH, length - off);
      System.arraycopy(t, 0, out, off, n);
      off += n;
    }
    return out;
  }
}
