package dev.bkv.recovery;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A secret byte string (export key, session key, seed). Not a value: no {@code equals},
 * {@code hashCode} or revealing {@code toString}; compare with {@link #equalsConstantTime}.
 */
public final class SecretBytes {
  private final byte[] bytes;

  private SecretBytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Copies {@code bytes}; the caller may wipe its array afterwards. */
  public static SecretBytes copyOf(byte[] bytes) {
    return new SecretBytes(bytes.clone());
  }

  /** A fresh copy of the secret; the caller is responsible for wiping it. */
  public byte[] copy() {
    return bytes.clone();
  }

  public int length() {
    return bytes.length;
  }

  /** Constant-time comparison (for equal lengths). */
  public boolean equalsConstantTime(SecretBytes other) {
    return MessageDigest.isEqual(bytes, other.bytes);
  }

  /** Overwrites the secret with zeros; later reads see zeros. */
  public void destroy() {
    Arrays.fill(bytes, (byte) 0);
  }

  @Override
  public String toString() {
    return "SecretBytes[" + bytes.length + " bytes, redacted]";
  }
}
