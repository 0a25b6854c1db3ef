package dev.bkv.ec;

import dev.bkv.recovery.BadInputException;
import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.util.BigIntegers;

/**
 * An integer modulo the P-256 group order n, always canonical ({@code 0 <= value < n}).
 * Scalars are often secret (private keys, blinds), so {@link #toString()} reveals nothing.
 */
public final class Scalar {
  /** Serialized length (Nsk/Nok in RFC 9497/9807). */
  public static final int LENGTH = 32;

  private final BigInteger value;

  private Scalar(BigInteger value) {
    this.value = value;
  }

  /** Reduces {@code v} modulo n (used by hash_to_field and derivations). */
  public static Scalar reduce(BigInteger v) {
    return new Scalar(v.mod(P256.N));
  }

  /** Parses a 32-byte big-endian scalar, rejecting values {@code >= n}. */
  public static Scalar decode(byte[] bytes) throws BadInputException {
    if (bytes == null || bytes.length != LENGTH) {
      throw new BadInputException("scalar is " + (bytes == null ? "null" : bytes.length + " bytes")
          + "; expected " + LENGTH);
    }
    BigInteger v = new BigInteger(1, bytes);
    if (v.compareTo(P256.N) >= 0) {
      throw new BadInputException("scalar is not canonical: value >= group order n");
    }
    return new Scalar(v);
  }

  /** Parses like {@link #decode} and also rejects zero. */
  public static Scalar decodeNonZero(byte[] bytes) throws BadInputException {
    Scalar s = decode(bytes);
    if (s.isZero()) {
      throw new BadInputException("scalar is zero; expected a non-zero scalar");
    }
    return s;
  }

  /** A uniformly random scalar in [1, n-1] (rejection sampling). */
  public static Scalar random(SecureRandom rng) {
    byte[] buf = new byte[LENGTH];
    while (true) {
      rng.nextBytes(buf);
      BigInteger v = new BigInteger(1, buf);
      if (v.signum() != 0 && v.compareTo(P256.N) < 0) {
        return new Scalar(v);
      }
    }
  }

  public static Scalar one() {
    return new Scalar(BigInteger.ONE);
  }

  public boolean isZero() {
    return value.signum() == 0;
  }

  public Scalar multiply(Scalar other) {
    return new Scalar(value.multiply(other.value).mod(P256.N));
  }

  /** The inverse modulo n; the scalar must not be zero. */
  public Scalar invert() {
    if (isZero()) {
      throw new ArithmeticException("zero has no inverse");
    }
    return new Scalar(BigIntegers.modOddInverse(P256.N, value));
  }

  /** 32-byte big-endian encoding (SerializeScalar). */
  public byte[] encode() {
    return BigIntegers.asUnsignedByteArray(LENGTH, value);
  }

  BigInteger value() {
    return value;
  }

  /** For callers inside the module that must hand the value to BouncyCastle. */
  public BigInteger toBigInteger() {
    return value;
  }

  @Override
  public String toString() {
    return "Scalar[redacted]";
  }
}
