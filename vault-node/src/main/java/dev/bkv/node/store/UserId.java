package dev.bkv.node.store;

import java.util.Arrays;
import java.util.HexFormat;

/** A user's identifier as the app chose it: 1..255 opaque bytes. */
public record UserId(byte[] bytes) {
  public static final int MAX_LENGTH = 255;

  public UserId {
    if (bytes == null || bytes.length == 0 || bytes.length > MAX_LENGTH) {
      throw new IllegalArgumentException("user id is " + (bytes == null ? "null" : bytes.length
          + " bytes") + "; expected 1.." + MAX_LENGTH + " bytes");
    }
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UserId other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "UserId[" + HexFormat.of().formatHex(bytes) + "]";
  }
}
