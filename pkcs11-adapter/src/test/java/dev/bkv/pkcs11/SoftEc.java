package dev.bkv.pkcs11;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;

/** Software P-256 (JDK SunEC) to cross-check what the token computes. */
final class SoftEc {
  private SoftEc() {}

  static ECParameterSpec p256() throws GeneralSecurityException {
    AlgorithmParameters ap = AlgorithmParameters.getInstance("EC");
    ap.init(new ECGenParameterSpec("secp256r1"));
    return ap.getParameterSpec(ECParameterSpec.class);
  }

  static KeyPair generate() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  static ECPublicKey publicKey(byte[] point65) throws GeneralSecurityException {
    BigInteger x = new BigInteger(1, Arrays.copyOfRange(point65, 1, 33));
    BigInteger y = new BigInteger(1, Arrays.copyOfRange(point65, 33, 65));
    return (ECPublicKey) KeyFactory.getInstance("EC")
        .generatePublic(new ECPublicKeySpec(new ECPoint(x, y), p256()));
  }

  static byte[] point(ECPublicKey k) {
    byte[] out = new byte[65];
    out[0] = 4;
    copy32(k.getW().getAffineX(), out, 1);
    copy32(k.getW().getAffineY(), out, 33);
    return out;
  }

  static byte[] ecdhX(KeyPair mine, byte[] peerPoint) throws GeneralSecurityException {
    KeyAgreement ka = KeyAgreement.getInstance("ECDH");
    ka.init(mine.getPrivate());
    ka.doPhase(publicKey(peerPoint), true);
    return ka.generateSecret();
  }

  /** Verifies a raw r||s P-256 ECDSA-SHA256 signature. */
  static boolean verifyRaw(byte[] point, byte[] message, byte[] rs) throws GeneralSecurityException {
    Signature v = Signature.getInstance("SHA256withECDSAinP1363Format");
    v.initVerify(publicKey(point));
    v.update(message);
    return v.verify(rs);
  }

  private static void copy32(BigInteger v, byte[] out, int off) {
    byte[] b = v.toByteArray();
    int n = Math.min(b.length, 32);
    System.arraycopy(b, b.length - n, out, off + 32 - n, n);
  }
}
