package dev.bkv.transparency.internal;

import dev.bkv.crypto.EcdsaP256;
import dev.bkv.transparency.NoteVerifier;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;

/**
 * Verifies type 0x02 note signatures: ECDSA P-256 over SHA-256 of the note text, signature in
 * ASN.1 DER (non-canonical DER is rejected).
 */
public record EcdsaVerifier(String name, int keyId, ECPublicKeyParameters key)
    implements NoteVerifier {

  @Override
  public boolean verify(byte[] message, byte[] signature) {
    return EcdsaP256.verify(key, message, signature);
  }

  @Override
  public String toString() {
    return "EcdsaVerifier[" + name + "+" + NoteSyntax.keyIdHex(keyId) + "]";
  }
}
