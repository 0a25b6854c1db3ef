package dev.bkv.ec;

import dev.bkv.recovery.BadInputException;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * The NIST P-256 group: constants, strict SEC1 point decoding and base-point multiplication.
 * Decoding accepts exactly 33-byte compressed (0x02/0x03) and 65-byte uncompressed (0x04)
 * encodings with canonical coordinates below p, on the curve, and never the identity.
 */
public final class P256 {
  private static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256r1");
  public static final ECCurve CURVE = PARAMS.getCurve();
  /** Field prime p. */
  public static final BigInteger P = CURVE.getField().getCharacteristic();
  /** Group order n. */
  public static final BigInteger N = PARAMS.getN();
  /** Curve coefficient b (a = −3). */
  public static final BigInteger B = CURVE.getB().toBigInteger();
  private static final Point GENERATOR = Point.trusted(PARAMS.getG());
  private static final FixedPointCombMultiplier BASE_MULT = new FixedPointCombMultiplier();

  private P256() {}

  public static Point generator() {
    return GENERATOR;
  }

  /** k·G with a fixed-base comb; k must be non-zero. */
  public static Point multiplyGenerator(Scalar k) {
    if (k.isZero()) {
      throw new IllegalArgumentException("multiplying by zero would give the identity");
    }
    return Point.trusted(BASE_MULT.multiply(PARAMS.getG(), k.value()));
  }

  /** Decodes a SEC1 point (33 or 65 bytes) with full validation. */
  public static Point decodePoint(byte[] enc) throws BadInputException {
    if (enc == null) {
      throw new BadInputException("point is null; expected 33 or 65 bytes");
    }
    if (enc.length == 1 && enc[0] == 0) {
      throw new BadInputException("point is the identity (0x00); expected a non-identity point");
    }
    if (enc.length == Point.COMPRESSED_LENGTH) {
      return decodeCompressedBody(enc);
    }
    if (enc.length == Point.UNCOMPRESSED_LENGTH) {
      if (enc[0] != 0x04) {
        throw new BadInputException(String.format(
            "point prefix 0x%02x on a 65-byte point; expected 0x04", enc[0] & 0xff));
      }
      BigInteger x = coordinate(enc, 1, "x");
      BigInteger y = coordinate(enc, 33, "y");
      ECPoint raw;
      try {
        raw = CURVE.validatePoint(x, y);
      } catch (IllegalArgumentException e) {
        throw new BadInputException("point (x, y) is not on P-256");
      }
      return Point.of(raw);
    }
    throw new BadInputException("point is " + enc.length + " bytes; expected 33 or 65");
  }

  /** Decodes only the 33-byte compressed form (SerializeElement in RFC 9497/9807). */
  public static Point decodeCompressed(byte[] enc, String what) throws BadInputException {
    if (enc == null || enc.length != Point.COMPRESSED_LENGTH) {
      throw new BadInputException(what + " is " + (enc == null ? "null" : enc.length + " bytes")
          + "; expected a 33-byte compressed point");
    }
    try {
      return decodeCompressedBody(enc);
    } catch (BadInputException e) {
      throw new BadInputException(what + ": " + e.getMessage());
    }
  }

  /** Decodes a compressed point from an x-coordinate and the parity of y. */
  public static Point fromX(byte[] x32, boolean oddY) throws BadInputException {
    byte[] enc = new byte[33];
    enc[0] = (byte) (oddY ? 0x03 : 0x02);
    System.arraycopy(x32, 0, enc, 1, 32);
    return decodeCompressedBody(enc);
  }

  private static Point decodeCompressedBody(byte[] enc) throws BadInputException {
    if (enc[0] != 0x02 && enc[0] != 0x03) {
      throw new BadInputException(String.format(
          "point prefix 0x%02x; expected 0x02 or 0x03", enc[0] & 0xff));
    }
    coordinate(enc, 1, "x");
    ECPoint raw;
    try {
      raw = CURVE.decodePoint(enc);
    } catch (IllegalArgumentException e) {
      throw new BadInputException("x-coordinate of compressed point is not on P-256");
    }
    return Point.of(raw);
  }

  private static BigInteger coordinate(byte[] enc, int off, String name)
      throws BadInputException {
    BigInteger v = new BigInteger(1, Arrays.copyOfRange(enc, off, off + 32));
    if (v.compareTo(P) >= 0) {
      throw new BadInputException("point " + name + "-coordinate is not canonical: >= p");
    }
    return v;
  }
}
