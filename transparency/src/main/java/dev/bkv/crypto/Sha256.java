package dev.bkv.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 (FIPS 180-4) from the JDK, without the checked exception every platform never throws. */
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

  /** SHA-256 of the concatenation of {@code parts} (32 bytes). */
  public static byte[] hash(byte[]... parts) {
    MessageDigest md = newDigest();
    for (byte[] part : parts) {
      md.update(part);
    }
    return md.digest();
  }

  /** Lower-case hex SHA-256 of {@code data} (64 characters). */
  public static String hex(byte[] data) {
    return HexFormat.of().formatHex(hash(data));
  }
}
