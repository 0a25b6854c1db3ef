package dev.bkv.pkcs11;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/** The public part of a key as read from (or written to) the token. */
public sealed interface PublicValue {

  /** A canonical byte encoding: the EC point, the Ed25519 key, or the RSA modulus. */
  byte[] encoded();

  /** P-256 point, uncompressed: {@code 04 || x || y}, 65 bytes. */
  record EcP256(byte[] point) implements PublicValue {
    public EcP256 {
      point = Objects.requireNonNull(point, "point").clone();
      if (point.length != 65 || point[0] != 0x04) {
        throw new IllegalArgumentException("P-256 point is " + point.length
            + " bytes starting 0x" + (point.length > 0 ? HexFormat.of().toHexDigits(point[0]) : "")
            + "; expected 65 bytes starting 0x04");
      }
    }

    @Override
    public byte[] point() {
      return point.clone();
    }

    @Override
    public byte[] encoded() {
      return point.clone();
    }

    /** The 32-byte x-coordinate. */
    public byte[] x() {
      return Arrays.copyOfRange(point, 1, 33);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof EcP256 e && Arrays.equals(e.point, point);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(point);
    }

    @Override
    public String toString() {
      return "EcP256[" + HexFormat.of().formatHex(point) + "]";
    }
  }

  /** Ed25519 public key, 32 bytes (RFC 8032 encoding). */
  record Ed25519(byte[] key) implements PublicValue {
    public Ed25519 {
      key = Objects.requireNonNull(key, "key").clone();
      if (key.length != 32) {
        throw new IllegalArgumentException("Ed25519 public key is " + key.length + " bytes; expected 32");
      }
    }

    @Override
    public byte[] key() {
      return key.clone();
    }

    @Override
    public byte[] encoded() {
      return key.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Ed25519 e && Arrays.equals(e.key, key);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
      return "Ed25519[" + HexFormat.of().formatHex(key) + "]";
    }
  }

  /** RSA public key. */
  record Rsa(BigInteger modulus, BigInteger publicExponent) implements PublicValue {
    public Rsa {
      Objects.requireNonNull(modulus, "modulus");
      Objects.requireNonNull(publicExponent, "publicExponent");
      if (modulus.signum() <= 0 || publicExponent.signum() <= 0) {
        throw new IllegalArgumentException("RSA modulus and exponent must be positive");
      }
    }

    /** The modulus as unsigned big-endian bytes. */
    @Override
    public byte[] encoded() {
      byte[] b = modulus.toByteArray();
      return b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
    }

    public int bits() {
      return modulus.bitLength();
    }

    @Override
    public String toString() {
      String hex = modulus.toString(16);
      return "Rsa[" + bits() + " bits, e=" + publicExponent + ", n=" + hex.substring(0, Math.min(16, hex.length())) + "...]";
    }
  }
}
