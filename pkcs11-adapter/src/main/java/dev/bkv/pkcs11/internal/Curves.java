package dev.bkv.pkcs11.internal;

import java.util.Arrays;

/** {@code CKA_EC_PARAMS} values and EC point encodings. */
public final class Curves {
  private static final byte[] P256 = {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07};
  private static final byte[] ED25519 = {0x06, 0x03, 0x2b, 0x65, 0x70};

  private Curves() {}

  /** DER OID 1.2.840.10045.3.1.7 (P-256). */
  public static byte[] p256Params() {
    return P256.clone();
  }

  /** DER OID 1.3.101.112 (Ed25519). */
  public static byte[] ed25519Params() {
    return ED25519.clone();
  }

  /**
   * A {@code CKA_EC_POINT} value without its DER OCTET STRING wrapper, if it has one. Tokens
   * differ; the wrapper sometimes strips it already.
   *
   * @param rawLength the length of the bare point (65 for P-256, 32 for Ed25519)
   */
  public static byte[] bareEcPoint(byte[] value, int rawLength) {
    if (value == null) {
      return null;
    }
    if (value.length == rawLength) {
      return value.clone();
    }
    if (value.length == rawLength + 2 && value[0] == 0x04 && (value[1] & 0xff) == rawLength) {
      return Arrays.copyOfRange(value, 2, value.length);
    }
    return value.clone();
  }
}
