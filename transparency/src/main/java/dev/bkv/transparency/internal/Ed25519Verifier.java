package dev.bkv.transparency.internal;

import dev.bkv.transparency.NoteVerifier;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** Verifies type 0x01 note signatures: RFC 8032 Ed25519 over the note text. */
public record Ed25519Verifier(String name, int keyId, Ed25519PublicKeyParameters key)
    implements NoteVerifier {

  public Ed25519Verifier(String name, int keyId, byte[] publicKey) {
    this(name, keyId, new Ed25519PublicKeyParameters(publicKey, 0));
  }

  /**
   * Whether {@code publicKey} is a key this verifier can be made from: the RFC 8032 encoding of
   * a point of the curve (BouncyCastle refuses other encodings, and the points of order 1, 2
   * and 4).
   */
  public static boolean isValidKey(byte[] publicKey) {
    if (publicKey.length != Ed25519PublicKeyParameters.KEY_SIZE) {
      return false;
    }
    try {
      new Ed25519PublicKeyParameters(publicKey, 0);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public boolean verify(byte[] message, byte[] signature) {
    if (signature.length != Ed25519PublicKeyParameters.KEY_SIZE * 2) {
      return false;
    }
    Ed25519Signer v = new Ed25519Signer();
    v.init(false, key);
    v.update(message, 0, message.length);
    return v.verifySignature(signature);
  }

  @Override
  public String toString() {
    return "Ed25519Verifier[" + name + "+" + NoteSyntax.keyIdHex(keyId) + "]";
  }
}
