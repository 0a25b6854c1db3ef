package dev.bkv.opaque.internal;

import dev.bkv.recovery.BadInputException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Byte-string helpers for the RFC 9807 encodings. */
public final class Bytes {
  private Bytes() {}

  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.write(p, 0, p.length);
    }
    return out.toByteArray();
  }

  public static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** I2OSP(len(v), 2) || v. */
  public static byte[] lengthPrefixed2(byte[] v) {
    if (v.length > 0xffff) {
      throw new IllegalArgumentException("value is " + v.length + " bytes; at most 65535");
    }
    return concat(new byte[] {(byte) (v.length >>> 8), (byte) v.length}, v);
  }

  public static byte[] xor(byte[] a, byte[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("xor of " + a.length + " and " + b.length + " bytes");
    }
    byte[] out = new byte[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = (byte) (a[i] ^ b[i]);
    }
    return out;
  }

  /** Copies {@code v}, checking it is exactly {@code len} bytes. */
  public static byte[] exact(byte[] v, int len, String what) throws BadInputException {
    if (v == null || v.length != len) {
      throw new BadInputException(what + " is " + (v == null ? "null" : v.length + " bytes")
          + "; expected " + len);
    }
    return v.clone();
  }

  /** Unchecked variant for record constructors (lengths are programming errors there). */
  public static byte[] requireLength(byte[] v, int len, String what) {
    if (v == null || v.length != len) {
      throw new IllegalArgumentException(what + " is " + (v == null ? "null" : v.length + " bytes")
          + "; expected " + len);
    }
    return v.clone();
  }

  /** A cursor over a message being parsed. */
  public static final class Reader {
    private final byte[] data;
    private int pos;

    public Reader(byte[] data) {
      this.data = data;
    }

    public byte[] take(int n) {
      byte[] out = Arrays.copyOfRange(data, pos, pos + n);
      pos += n;
      return out;
    }
  }
}
