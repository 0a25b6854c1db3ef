package dev.bkv.transparency.internal;

import dev.bkv.crypto.EcdsaP256;
import dev.bkv.transparency.MalformedInputException;
import java.io.IOException;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.encoders.Hex;

/** Parses the P-256 public keys of note signature type 0x02 (encodings: {@link EcdsaP256}). */
public final class EcdsaKeys {

  private EcdsaKeys() {}

  /**
   * Parses a DER SubjectPublicKeyInfo that must name P-256 and carry a valid uncompressed point,
   * encoded canonically.
   */
  public static ECPublicKeyParameters parseSpki(byte[] der) throws MalformedInputException {
    SubjectPublicKeyInfo info;
    try {
      info = SubjectPublicKeyInfo.getInstance(der);
    } catch (RuntimeException e) {
      throw new MalformedInputException(MalformedInputException.Problem.BAD_KEY,
          "ECDSA key is not a DER SubjectPublicKeyInfo", e);
    }
    if (!EcdsaP256.ALGORITHM.equals(info.getAlgorithm())) {
      throw new MalformedInputException(MalformedInputException.Problem.BAD_KEY, "ECDSA key has algorithm "
          + info.getAlgorithm().getAlgorithm() + " with parameters "
          + describe(info.getAlgorithm().getParameters())
          + "; expected id-ecPublicKey on P-256");
    }
    if (info.getPublicKeyData().getPadBits() != 0) {
      throw new MalformedInputException(MalformedInputException.Problem.BAD_KEY,
          "ECDSA key BIT STRING has " + info.getPublicKeyData().getPadBits()
              + " unused bits; expected whole octets");
    }
    byte[] point = info.getPublicKeyData().getOctets();
    if (point.length != 65 || point[0] != 0x04) {
      throw new MalformedInputException(MalformedInputException.Problem.BAD_KEY, "ECDSA key point is "
          + point.length + " bytes; expected a 65-byte uncompressed P-256 point");
    }
    try {
      ECPoint p = EcdsaP256.decodePoint(point);
      ECPublicKeyParameters params = new ECPublicKeyParameters(p, EcdsaP256.DOMAIN);
      if (!Arrays.equals(EcdsaP256.spki(p), der)) {
        throw new MalformedInputException(MalformedInputException.Problem.BAD_KEY,
            "ECDSA key is not canonical DER");
      }
      return params;
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException(MalformedInputException.Problem.BAD_KEY,
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
}
