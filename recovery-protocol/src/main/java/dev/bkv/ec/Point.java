package dev.bkv.ec;

import dev.bkv.recovery.BadInputException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/**
 * A validated P-256 point: on the curve and never the identity. Instances come only from
 * {@link P256#decodePoint}, the generator and group operations, so holding a {@code Point} means
 * the bytes it came from were checked. Points are public values: {@code equals} compares them.
 */
public final class Point {
  /** SEC1 compressed length (Noe, Npk). */
  public static final int COMPRESSED_LENGTH = 33;
  /** SEC1 uncompressed length. */
  public static final int UNCOMPRESSED_LENGTH = 65;

  private final ECPoint p;

  private Point(ECPoint normalized) {
    this.p = normalized;
  }

  /** Wraps a BouncyCastle point, rejecting the identity and off-curve points. */
  static Point of(ECPoint raw) throws BadInputException {
    if (raw.isInfinity()) {
      throw new BadInputException("point is the identity; expected a non-identity P-256 point");
    }
    ECPoint n = raw.normalize();
    if (!n.isValid()) {
      throw new BadInputException("point is not on P-256");
    }
    return new Point(n);
  }

  /** Wraps a point the caller knows is valid and non-identity (group operation results). */
  static Point trusted(ECPoint raw) {
    return new Point(raw.normalize());
  }

  /** Converts a BouncyCastle point from hash-to-curve; rejects the identity. */
  public static Point fromBouncyCastle(ECPoint raw) throws BadInputException {
    return of(raw);
  }

  /**
   * k·P; k must be non-zero (P-256 has prime order, so the result is never the identity).
   * The scalar is blinded as k + r·n with a fresh 64-bit r, so BouncyCastle's (variable-time)
   * wNAF sees a different recoding on every call: a timing countermeasure, not a guarantee.
   */
  public Point multiply(Scalar k) {
    if (k.isZero()) {
      throw new IllegalArgumentException("multiplying by zero would give the identity");
    }
    BigInteger r = new BigInteger(64, BLINDING.get());
    return trusted(p.multiply(k.value().add(r.multiply(P256.N))));
  }

  private static final ThreadLocal<SecureRandom> BLINDING =
      ThreadLocal.withInitial(SecureRandom::new);

  /** P + Q, or empty if the sum is the identity (Q = −P). */
  public Optional<Point> add(Point q) {
    ECPoint sum = p.add(q.p);
    return sum.isInfinity() ? Optional.empty() : Optional.of(trusted(sum));
  }

  public Point negate() {
    return trusted(p.negate());
  }

  /** SerializeElement: 33-byte SEC1 compressed form. */
  public byte[] toCompressed() {
    return p.getEncoded(true);
  }

  public byte[] toUncompressed() {
    return p.getEncoded(false);
  }

  /** The affine x-coordinate, 32 bytes big-endian. */
  public byte[] x() {
    return BigIntegers.asUnsignedByteArray(32, p.getAffineXCoord().toBigInteger());
  }

  BigInteger xValue() {
    return p.getAffineXCoord().toBigInteger();
  }

  public ECPoint toBouncyCastle() {
    return p;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Point other && p.equals(other.p);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(toCompressed());
  }

  @Override
  public String toString() {
    return "Point[" + org.bouncycastle.util.encoders.Hex.toHexString(toCompressed()) + "]";
  }
}
