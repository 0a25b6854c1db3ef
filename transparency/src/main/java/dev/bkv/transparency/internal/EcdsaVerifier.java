package dev.bkv.transparency.internal;

import dev.bkv.transparency.NoteVerifier;
import java.io.IOException;
import java.math.BigInteger;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;

/**
 * Verifies type 0x02 note signatures: ECDSA P-256 over SHA-256 of the note text, signature in
 * ASN.1 DER (non-canonical DER is rejected).
 */
public final class EcdsaVerifier implements NoteVerifier {

  private final String name;
  private final int keyId;
  private final ECPublicKeyParameters key;

  public EcdsaVerifier(String name, int keyId, ECPublicKeyParameters key) {
    this.name = name;
    this.keyId = keyId;
    this.key = key;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int keyId() {
    return keyId;
  }

  @Override
  public boolean verify(byte[] message, byte[] signature) {
    BigInteger[] rs;
    try {
      rs = StandardDSAEncoding.INSTANCE.decode(EcdsaP256.DOMAIN.getN(), signature);
    } catch (IOException | RuntimeException e) {
      return false; // not DER, wrong ASN.1 types (BouncyCastle throws ClassCastException), ...
    }
    ECDSASigner v = new ECDSASigner();
    v.init(false, key);
    return v.verifySignature(EcdsaP256.sha256(message), rs[0], rs[1]);
  }

  @Override
  public String toString() {
    return "EcdsaVerifier[" + name + "+" + NoteSyntax.keyIdHex(keyId) + "]";
  }
}
