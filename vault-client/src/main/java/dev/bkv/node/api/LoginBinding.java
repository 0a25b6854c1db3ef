package dev.bkv.node.api;

import dev.bkv.hash.Hkdf;
import dev.bkv.recovery.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Binds a delete or a password change to the login that authorised it (vault.proto): an
 * HMAC-SHA256 under a key derived from that login's OPAQUE session key, which only the client
 * that completed the login and the member that served it know. A relay that saw the channel's
 * bytes, or a member other than the one that served the login, cannot produce it.
 */
public final class LoginBinding {
  public static final int LENGTH = 32;
  private static final byte[] INFO = "bkv login binding v1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DELETE = "bkv delete v1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CLOSE = "bkv close v1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CHANGE = "bkv change-password v1".getBytes(
      StandardCharsets.US_ASCII);

  private LoginBinding() {}

  /** {@code HKDF-SHA256(salt = "", ikm = sessionKey, info = "bkv login binding v1", 32)}. */
  public static SecretBytes key(SecretBytes sessionKey) {
    byte[] ikm = sessionKey.copy();
    byte[] prk = Hkdf.extract(new byte[0], ikm);
    Arrays.fill(ikm, (byte) 0);
    byte[] okm = Hkdf.expand(prk, INFO, LENGTH);
    Arrays.fill(prk, (byte) 0);
    SecretBytes k = SecretBytes.copyOf(okm);
    Arrays.fill(okm, (byte) 0);
    return k;
  }

  public static byte[] delete(SecretBytes key, byte[] loginToken) {
    return mac(key, DELETE, loginToken);
  }

  /** The binding of a close for a migration, naming the successor on the next fleet. */
  public static byte[] close(SecretBytes key, byte[] loginToken, byte[] successor) {
    return mac(key, CLOSE, loginToken, successor);
  }

  public static byte[] changePassword(SecretBytes key, byte[] loginToken, byte[] sessionId,
      byte[] record, byte[] sealedKey) {
    return changePassword(key, loginToken, sessionId, record, sealedKey, new byte[0]);
  }

  /** The binding of a password change that also gives the new record a reset key. */
  public static byte[] changePassword(SecretBytes key, byte[] loginToken, byte[] sessionId,
      byte[] record, byte[] sealedKey, byte[] resetKey) {
    return mac(key, CHANGE, loginToken, sessionId, record, sealedKey, resetKey);
  }

  /** Constant-time comparison of a received binding with the expected one. */
  public static boolean matches(byte[] expected, byte[] received) {
    return received != null && received.length == LENGTH
        && MessageDigest.isEqual(expected, received);
  }

  private static byte[] mac(SecretBytes key, byte[]... parts) {
    byte[] k = key.copy();
    try {
      return Hkdf.hmac(k, parts);
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }
}
