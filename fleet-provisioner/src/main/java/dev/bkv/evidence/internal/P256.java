package dev.bkv.evidence.internal;

import dev.bkv.transparency.internal.EcdsaP256;
import dev.bkv.transparency.internal.EcdsaVerifier;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;

/** P-256 helpers done in software: ECDSA verification, DER signature encoding, the generator. */
public final class P256 {
  /** The generator G, uncompressed (SEC 1): used to check an HSM key against its public point. */
  public static final byte[] GENERATOR = HexFormat.of().parseHex("04"
      + "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
      + "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5");
  private static final ECParameterSpec PARAMS = params();

  private P256() {}

  /**
   * Whether {@code der} is a valid ECDSA-SHA256 signature (strict ASN.1 DER) of {@code message}
   * under the uncompressed point. Same checks as the type 0x02 note verifier: the JDK's
   * SHA256withECDSA accepts non-canonical DER and rejects valid signatures whose x(kG) exceeds n
   * (Wycheproof ecdsa_secp256r1_sha256 tcIds 6, 350 and 479).
   */
  public static boolean verify(byte[] point, byte[] message, byte[] der) {
    if (point == null || point.length != 65 || point[0] != 4 || der == null) {
      return false;
    }
    try {
      ECPublicKeyParameters key = new ECPublicKeyParameters(
          EcdsaP256.DOMAIN.getCurve().decodePoint(point), EcdsaP256.DOMAIN);
      return new EcdsaVerifier("evidence", 0, key).verify(message, der);
    } catch (IllegalArgumentException e) {
      return false; // not a point on P-256: not valid
    }
  }

  /** A JCA public key for an uncompressed 65-byte point; throws if it is not on the curve. */
  public static PublicKey publicKey(byte[] point) throws GeneralSecurityException {
    if (point.length != 65 || point[0] != 4) {
      throw new IllegalArgumentException("P-256 point is " + point.length + " bytes; expected 65, uncompressed");
    }
    ECPoint w = new ECPoint(new BigInteger(1, Arrays.copyOfRange(point, 1, 33)),
        new BigInteger(1, Arrays.copyOfRange(point, 33, 65)));
    return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, PARAMS));
  }

  /** Raw {@code r || s} (64 bytes, as PKCS#11 returns it) to ASN.1 DER. */
  public static byte[] rawToDer(byte[] raw) {
    if (raw.length != 64) {
      throw new IllegalArgumentException("raw ECDSA signature is " + raw.length + " bytes; expected 64");
    }
    byte[] r = integer(Arrays.copyOfRange(raw, 0, 32));
    byte[] s = integer(Arrays.copyOfRange(raw, 32, 64));
    byte[] out = new byte[2 + r.length + s.length];
    out[0] = 0x30;
    out[1] = (byte) (r.length + s.length);
    System.arraycopy(r, 0, out, 2, r.length);
    System.arraycopy(s, 0, out, 2 + r.length, s.length);
    return out;
  }

  /** SHA-256 of {@code data}. */
  public static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  /** Lower-case hex SHA-256 of {@code data}. */
  public static String sha256Hex(byte[] data) {
    return HexFormat.of().formatHex(sha256(data));
  }

  private static byte[] integer(byte[] unsigned) {
    byte[] v = new BigInteger(1, unsigned).toByteArray();
    byte[] out = new byte[v.length + 2];
    out[0] = 0x02;
    out[1] = (byte) v.length;
    System.arraycopy(v, 0, out, 2, v.length);
    return out;
  }

  private static ECParameterSpec params() {
    try {
      AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
      p.init(new ECGenParameterSpec("secp256r1"));
      return p.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks secp256r1", e);
    }
  }
}
