package dev.bkv.bundle;

import dev.bkv.crypto.EcdsaP256;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Checks public keys written in bundles: uncompressed P-256 points as 130 lowercase hex digits. */
final class P256Points {

  private static final Pattern HEX = Pattern.compile("04[0-9a-f]{128}");

  private P256Points() {}

  /** Why {@code hex} is not a valid point, or null when it is one. */
  static String problem(String hex) {
    if (hex == null || !HEX.matcher(hex).matches()) {
      return "is '" + shorten(hex) + "'; expected 130 lowercase hex digits starting 04";
    }
    try {
      EcdsaP256.decodePoint(HexFormat.of().parseHex(hex));
      return null;
    } catch (IllegalArgumentException e) {
      return "is not a point on P-256";
    }
  }

  /** A short form of a key for messages and reports. */
  static String shorten(String hex) {
    return hex == null || hex.length() <= 20 ? String.valueOf(hex) : hex.substring(0, 16) + "…";
  }
}
