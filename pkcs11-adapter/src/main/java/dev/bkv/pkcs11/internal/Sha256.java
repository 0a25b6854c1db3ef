package dev.bkv.pkcs11.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 from the JDK for the adapter (hash-then-sign, PIN cache keys). The adapter is the
 * bottom module, so it keeps its own; the modules above use {@code dev.bkv.crypto.Sha256}.
 */
public final class Sha256 {

  private Sha256() {}

  /** A fresh SHA-256 digest, for incremental hashing. */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }

  /** SHA-256 of {@code message} (32 bytes). */
  public static byte[] hash(byte[] message) {
    return newDigest().digest(message);
  }
}
