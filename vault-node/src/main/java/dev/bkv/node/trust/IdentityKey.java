package dev.bkv.node.trust;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;

/**
 * A member's identity public key (ECDSA P-256, {@code member/identity} on its token): the key
 * its Raft TLS certificate must be signed by.
 *
 * @param key the P-256 public key
 */
public record IdentityKey(ECPublicKey key) {
  private static final X9ECParameters P256 = ECNamedCurveTable.getByName("secp256r1");

  public IdentityKey {
    if (key == null || key.getParams().getCurve().getField().getFieldSize() != 256) {
      throw new IllegalArgumentException("identity key is not a P-256 key");
    }
  }

  /** Parses a SEC1 point, compressed (33 bytes) or uncompressed (65 bytes), in hex. */
  public static IdentityKey ofHex(String hex) {
    byte[] b;
    try {
      b = HexFormat.of().parseHex(hex.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("identity key '" + hex + "' is not hex");
    }
    return ofSec1(b);
  }

  /** Parses a SEC1 point, compressed (33 bytes) or uncompressed (65 bytes). */
  public static IdentityKey ofSec1(byte[] point) {
    if (point.length != 33 && point.length != 65) {
      throw new IllegalArgumentException("identity key is " + point.length
          + " bytes; expected a 33- or 65-byte SEC1 P-256 point");
    }
    org.bouncycastle.math.ec.ECPoint p;
    try {
      p = P256.getCurve().decodePoint(point).normalize();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("identity key " + HexFormat.of().formatHex(point)
          + " is not a P-256 point: " + e.getMessage());
    }
    if (p.isInfinity()) {
      throw new IllegalArgumentException("identity key is the point at infinity");
    }
    try {
      AlgorithmParameters ap = AlgorithmParameters.getInstance("EC");
      ap.init(new ECGenParameterSpec("secp256r1"));
      ECParameterSpec spec = ap.getParameterSpec(ECParameterSpec.class);
      PublicKey k = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(
          new ECPoint(p.getAffineXCoord().toBigInteger(), p.getAffineYCoord().toBigInteger()),
          spec));
      return new IdentityKey((ECPublicKey) k);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no P-256: " + e.getMessage(), e);
    }
  }

  /** The identity key of {@code key}, which must be a P-256 public key. */
  public static IdentityKey of(PublicKey key) {
    if (!(key instanceof ECPublicKey ec)) {
      throw new IllegalArgumentException("identity key is a " + key.getAlgorithm()
          + " key; expected EC P-256");
    }
    return new IdentityKey(ec);
  }

  /** The compressed SEC1 encoding (33 bytes). */
  public byte[] compressed() {
    byte[] out = new byte[33];
    BigInteger y = key.getW().getAffineY();
    out[0] = (byte) (y.testBit(0) ? 3 : 2);
    byte[] x = key.getW().getAffineX().toByteArray();
    int n = Math.min(x.length, 32);
    System.arraycopy(x, x.length - n, out, 33 - n, n);
    return out;
  }

  public String hex() {
    return HexFormat.of().formatHex(compressed());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IdentityKey k && Arrays.equals(compressed(), k.compressed());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(compressed());
  }

  @Override
  public String toString() {
    return hex();
  }
}
