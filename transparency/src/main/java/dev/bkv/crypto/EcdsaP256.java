package dev.bkv.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.math.ec.ECPoint;

/**
 * ECDSA over NIST P-256 with SHA-256, in software with BouncyCastle: point and key encodings,
 * conversion of the raw {@code r || s} signatures PKCS#11 tokens return (CKM_ECDSA) to ASN.1
 * DER, and strict verification.
 *
 * <p>Verification accepts only canonical DER and checks {@code r, s} in [1, n-1]; the JDK's
 * SHA256withECDSA accepts non-canonical DER and rejects valid signatures whose x(kG) exceeds n
 * (Wycheproof ecdsa_secp256r1_sha256 tcIds 6, 350 and 479), so it is not used.
 */
public final class EcdsaP256 {

  private static final X9ECParameters X9 =
      CustomNamedCurves.getByOID(X9ObjectIdentifiers.prime256v1);
  /** The curve, its generator G and order n. */
  public static final ECDomainParameters DOMAIN =
      new ECDomainParameters(X9.getCurve(), X9.getG(), X9.getN(), X9.getH(), X9.getSeed());
  /** id-ecPublicKey on prime256v1: the algorithm of a P-256 SubjectPublicKeyInfo. */
  public static final AlgorithmIdentifier ALGORITHM =
      new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, X9ObjectIdentifiers.prime256v1);

  private EcdsaP256() {}

  /** The generator G, uncompressed (SEC 1, 65 bytes): to check an HSM key against its point. */
  public static byte[] generator() {
    return DOMAIN.getG().getEncoded(false);
  }

  /**
   * Decodes a SEC 1 point (compressed or uncompressed).
   *
   * @throws IllegalArgumentException if it is not an encoding of a point on P-256
   */
  public static ECPoint decodePoint(byte[] encoded) {
    return DOMAIN.getCurve().decodePoint(encoded);
  }

  /**
   * The public key of an uncompressed 65-byte point.
   *
   * @throws IllegalArgumentException if it is not 65 bytes, not uncompressed or not on P-256
   */
  public static ECPublicKeyParameters publicKey(byte[] uncompressed) {
    if (uncompressed == null || uncompressed.length != 65 || uncompressed[0] != 4) {
      throw new IllegalArgumentException("P-256 point is "
          + (uncompressed == null ? "absent" : uncompressed.length + " bytes")
          + "; expected 65, uncompressed");
    }
    return new ECPublicKeyParameters(decodePoint(uncompressed), DOMAIN);
  }

  /** DER SubjectPublicKeyInfo with the named curve and an uncompressed point. */
  public static byte[] spki(ECPoint point) {
    try {
      return new SubjectPublicKeyInfo(ALGORITHM, point.normalize().getEncoded(false))
          .getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new IllegalStateException("DER encoding of a P-256 key failed", e);
    }
  }

  /**
   * Converts a raw {@code r || s} signature (64 bytes, PKCS#11 CKM_ECDSA output) to ASN.1 DER.
   *
   * @throws IllegalArgumentException if it is not 64 bytes, or r or s is not in [1, n-1]
   */
  public static byte[] derFromRaw(byte[] raw) {
    if (raw.length != 64) {
      throw new IllegalArgumentException(
          "raw ECDSA signature is " + raw.length + " bytes; expected 64 (r || s)");
    }
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(raw, 0, 32));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(raw, 32, 64));
    return der(r, s);
  }

  /**
   * Encodes {@code (r, s)} as ASN.1 DER.
   *
   * @throws IllegalArgumentException if r or s is not in [1, n-1]
   */
  public static byte[] der(BigInteger r, BigInteger s) {
    try {
      return StandardDSAEncoding.INSTANCE.encode(DOMAIN.getN(), r, s);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("ECDSA signature has r or s out of range", e);
    }
  }

  /**
   * Whether {@code der} is a valid ECDSA-SHA256 signature (strict ASN.1 DER) of {@code message}
   * under {@code key}.
   */
  public static boolean verify(ECPublicKeyParameters key, byte[] message, byte[] der) {
    if (key == null || message == null || der == null) {
      return false;
    }
    BigInteger[] rs;
    try {
      rs = StandardDSAEncoding.INSTANCE.decode(DOMAIN.getN(), der);
    } catch (IOException | RuntimeException e) {
      return false; // not DER, wrong ASN.1 types (BouncyCastle throws ClassCastException), ...
    }
    ECDSASigner v = new ECDSASigner();
    v.init(false, key);
    return v.verifySignature(Sha256.hash(message), rs[0], rs[1]);
  }

  /**
   * Whether {@code der} is a valid ECDSA-SHA256 signature (strict ASN.1 DER) of {@code message}
   * under the uncompressed 65-byte point; false for anything that is not such a point.
   */
  public static boolean verify(byte[] uncompressed, byte[] message, byte[] der) {
    ECPublicKeyParameters key;
    try {
      key = publicKey(uncompressed);
    } catch (IllegalArgumentException e) {
      return false; // not a point on P-256: not valid
    }
    return verify(key, message, der);
  }
}
