package dev.bkv.pkcs11.internal;

import dev.bkv.pkcs11.HsmException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The JDK's SHA-256 for the adapter (hash-then-sign, PIN cache keys). The adapter is the bottom
 * module and cannot use {@code dev.bkv.crypto.Sha256} above it; here a platform without SHA-256
 * fails the operation with an {@link HsmException} like any other fault.
 */
public final class Sha256 {

  private Sha256() {}

  /** A fresh SHA-256 digest for {@code operation}. */
  public static MessageDigest digestFor(String operation) throws HsmException {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new HsmException(operation, "this Java platform has no SHA-256", e);
    }
  }
}
