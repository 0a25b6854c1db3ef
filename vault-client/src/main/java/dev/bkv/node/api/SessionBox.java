package dev.bkv.node.api;

import dev.bkv.recovery.SecretBytes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a recovered sealed key travels back to the client: AES-256-GCM under
 * {@code HKDF-SHA256(salt = "", ikm = OPAQUE session key, info = "bkv recover v1", 32)}, as
 * {@code nonce (12) ‖ ciphertext ‖ tag (16)}. Only the peer that completed the login has the
 * session key.
 */
public final class SessionBox {
  private static final byte[] INFO = "bkv recover v1".getBytes(StandardCharsets.US_ASCII);
  private static final int NONCE = 12;

  private SessionBox() {}

  public static byte[] seal(SecretBytes sessionKey, byte[] plaintext, SecureRandom rng)
      throws GeneralSecurityException {
    byte[] nonce = new byte[NONCE];
    rng.nextBytes(nonce);
    byte[] ct = cipher(Cipher.ENCRYPT_MODE, sessionKey, nonce).doFinal(plaintext);
    return ByteBuffer.allocate(NONCE + ct.length).put(nonce).put(ct).array();
  }

  /** Opens a box; a wrong key or modified bytes throw {@link AEADBadTagException}. */
  public static byte[] open(SecretBytes sessionKey, byte[] box) throws GeneralSecurityException {
    if (box == null || box.length < NONCE + 16) {
      throw new AEADBadTagException("encrypted sealed key is "
          + (box == null ? "null" : box.length + " bytes") + "; expected at least 28");
    }
    return cipher(Cipher.DECRYPT_MODE, sessionKey, Arrays.copyOf(box, NONCE))
        .doFinal(box, NONCE, box.length - NONCE);
  }

  private static Cipher cipher(int mode, SecretBytes sessionKey, byte[] nonce)
      throws GeneralSecurityException {
    byte[] ikm = sessionKey.copy();
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
    byte[] prk = mac.doFinal(ikm);
    Arrays.fill(ikm, (byte) 0);
    mac.init(new SecretKeySpec(prk, "HmacSHA256"));
    mac.update(INFO);
    mac.update((byte) 1);
    byte[] key = mac.doFinal();
    Arrays.fill(prk, (byte) 0);
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
    Arrays.fill(key, (byte) 0);
    return c;
  }
}
