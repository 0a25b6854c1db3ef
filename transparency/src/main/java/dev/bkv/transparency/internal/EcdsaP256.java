package dev.bkv.transparency.internal;

import dev.bkv.transparency.BadInputException;
import java.io.IOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.encoders.Hex;

/** NIST P-256 key and signature encodings used by note signature type 0x02. */
public final class EcdsaP256 {

  private static final X9ECParameters X9 = ECNamedCurveTable.getByOID(X9ObjectIdentifiers.prime256v1);
  public static final ECDomainParameters DOMAIN =
      new ECDomainParameters(X9.getCurve(), X9.getG(), X9.getN(), X9.getH(), X9.getSeed());
  private static final AlgorithmIdentifier ALGORITHM =
      new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, X9ObjectIdentifiers.prime256v1);

  private EcdsaP256() {}

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
   * Parses a DER SubjectPublicKeyInfo that must name P-256 and carry a valid uncompressed point,
   * encoded canonically.
   */
  public static ECPublicKeyParameters parseSpki(byte[] der) throws BadInputException {
    SubjectPublicKeyInfo info;
    try {
      info = SubjectPublicKeyInfo.getInstance(der);
    } catch (RuntimeException e) {
      throw new BadInputException(BadInputException.Problem.BAD_KEY,
          "ECDSA key is not a DER SubjectPublicKeyInfo", e);
    }
    if (!ALGORITHM.equals(info.getAlgorithm())) {
      throw new BadInputException(BadInputException.Problem.BAD_KEY, "ECDSA key has algorithm "
          + info.getAlgorithm().getAlgorithm() + " with parameters "
          + describe(info.getAlgorithm().getParameters())
          + "; expected id-ecPublicKey on P-256");
    }
    if (info.getPublicKeyData().getPadBits() != 0) {
      throw new BadInputException(BadInputException.Problem.BAD_KEY,
          "ECDSA key BIT STRING has " + info.getPublicKeyData().getPadBits()
              + " unused bits; expected whole octets");
    }
    byte[] point = info.getPublicKeyData().getOctets();
    if (point.length != 65 || point[0] != 0x04) {
      throw new BadInputException(BadInputException.Problem.BAD_KEY, "ECDSA key point is "
          + point.length + " bytes; expected a 65-byte uncompressed P-256 point");
    }
    try {
      ECPoint p = DOMAIN.getCurve().decodePoint(point);
      ECPublicKeyParameters params = new ECPublicKeyParameters(p, DOMAIN);
      if (!Arrays.equals(spki(p), der)) {
        throw new BadInputException(BadInputException.Problem.BAD_KEY,
            "ECDSA key is not canonical DER");
      }
      return params;
    } catch (IllegalArgumentException e) {
      throw new BadInputException(BadInputException.Problem.BAD_KEY,
          "ECDSA key point is not on P-256", e);
    }
  }

  /**
   * The DER of hostile parameters, in hex and capped: their own {@code toString} can throw (a
   * UTF8String holding invalid UTF-8 does).
   */
  private static String describe(ASN1Encodable parameters) {
    if (parameters == null) {
      return "(absent)";
    }
    try {
      String hex = Hex.toHexString(parameters.toASN1Primitive().getEncoded(ASN1Encoding.DER));
      return "DER " + (hex.length() > 64 ? hex.substring(0, 64) + "…" : hex);
    } catch (IOException | RuntimeException e) {
      return "(not DER-encodable)";
    }
  }

  /** Converts a raw {@code r || s} signature (PKCS#11 CKM_ECDSA output) to ASN.1 DER. */
  public static byte[] derFromRaw(byte[] raw) throws BadInputException {
    if (raw.length != 64) {
      throw new BadInputException(BadInputException.Problem.BAD_KEY,
          "raw ECDSA signature is " + raw.length + " bytes; expected 64 (r || s)");
    }
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(raw, 0, 32));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(raw, 32, 64));
    try {
      return StandardDSAEncoding.INSTANCE.encode(DOMAIN.getN(), r, s);
    } catch (IOException | IllegalArgumentException e) {
      throw new BadInputException(BadInputException.Problem.BAD_KEY,
          "raw ECDSA signature has r or s out of range", e);
    }
  }

  static byte[] sha256(byte[] message) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(message);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
