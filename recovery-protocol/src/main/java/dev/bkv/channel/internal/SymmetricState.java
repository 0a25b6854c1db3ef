package dev.bkv.channel.internal;

import dev.bkv.crypto.Sha256;
import dev.bkv.hash.Hkdf;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Noise's SymmetricState and CipherState (revision 34, §5.1–5.2) with SHA-256 and AES-256-GCM:
 * the chaining key {@code ck}, the handshake hash {@code h} and the current cipher key. Not
 * thread-safe; one per handshake.
 */
public final class SymmetricState {
  /** The protocol name hashed into {@code h} first. */
  public static final String PROTOCOL = "Noise_NK_P256_AESGCM_SHA256";
  public static final int HASH_LENGTH = 32;
  public static final int TAG_LENGTH = 16;

  private byte[] ck;
  private byte[] h;
  private byte[] k;
  private long n;

  public SymmetricState() {
    byte[] name = PROTOCOL.getBytes(StandardCharsets.US_ASCII);
    // A name of at most HASHLEN bytes is padded with zeros rather than hashed.
    h = Arrays.copyOf(name, HASH_LENGTH);
    ck = h.clone();
  }

  public void mixHash(byte[] data) {
    h = Sha256.hash(h, data);
  }

  /** MixKey: {@code ck, k = HKDF(ck, ikm)}; resets the nonce. Wipes {@code ikm}. */
  public void mixKey(byte[] ikm) {
    byte[] temp = Hkdf.hmac(ck, ikm);
    Arrays.fill(ikm, (byte) 0);
    byte[] out1 = Hkdf.hmac(temp, new byte[] {1});
    byte[] out2 = Hkdf.hmac(temp, out1, new byte[] {2});
    Arrays.fill(temp, (byte) 0);
    Arrays.fill(ck, (byte) 0);
    ck = out1;
    if (k != null) {
      Arrays.fill(k, (byte) 0);
    }
    k = out2;
    n = 0;
  }

  public byte[] encryptAndHash(byte[] plaintext) {
    byte[] ct;
    try {
      ct = cipher(Cipher.ENCRYPT_MODE).doFinal(plaintext);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM failed to encrypt", e);
    }
    mixHash(ct);
    return ct;
  }

  /** Decrypts and authenticates against {@code h}; a bad tag throws {@link AEADBadTagException}. */
  public byte[] decryptAndHash(byte[] ciphertext) throws AEADBadTagException {
    if (ciphertext.length < TAG_LENGTH) {
      throw new AEADBadTagException("ciphertext is " + ciphertext.length
          + " bytes; expected at least the 16-byte tag");
    }
    byte[] pt;
    try {
      pt = cipher(Cipher.DECRYPT_MODE).doFinal(ciphertext);
    } catch (AEADBadTagException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM failed to decrypt", e);
    }
    mixHash(ciphertext);
    return pt;
  }

  /** A handshake message: the sender's ephemeral key, then the encrypted payload. */
  public static byte[] message(byte[] ephemeralPublic, byte[] ciphertext) {
    byte[] msg = new byte[ephemeralPublic.length + ciphertext.length];
    System.arraycopy(ephemeralPublic, 0, msg, 0, ephemeralPublic.length);
    System.arraycopy(ciphertext, 0, msg, ephemeralPublic.length, ciphertext.length);
    return msg;
  }

  /** The handshake hash so far: a binding to everything sent and received. */
  public byte[] handshakeHash() {
    return h.clone();
  }

  /** Forgets the keys. */
  public void destroy() {
    Arrays.fill(ck, (byte) 0);
    if (k != null) {
      Arrays.fill(k, (byte) 0);
    }
  }

  private Cipher cipher(int mode) throws GeneralSecurityException {
    if (k == null) {
      throw new IllegalStateException("no cipher key yet: every NK payload follows a DH");
    }
    if (n == -1L) {
      throw new IllegalStateException("nonce exhausted");
    }
    byte[] nonce = ByteBuffer.allocate(12).putInt(0).putLong(n++).array();
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(mode, new SecretKeySpec(k, "AES"), new GCMParameterSpec(TAG_LENGTH * 8, nonce));
    c.updateAAD(h);
    return c;
  }
}
