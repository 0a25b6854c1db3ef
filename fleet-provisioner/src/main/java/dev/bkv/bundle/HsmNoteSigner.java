package dev.bkv.bundle;

import dev.bkv.pkcs11.EcPrivateKey;
import dev.bkv.pkcs11.Ed25519PrivateKey;
import dev.bkv.pkcs11.HsmException;
import dev.bkv.transparency.MalformedInputException;
import dev.bkv.transparency.EcdsaNoteSigner;
import dev.bkv.transparency.TransparencyFaultException;
import dev.bkv.transparency.NoteSigner;
import dev.bkv.transparency.TransparencyException;
import dev.bkv.transparency.VerifierKey;
import java.util.HexFormat;

/**
 * A note signer whose private key stays in a PKCS#11 token: Ed25519 ({@code CKM_EDDSA}, note
 * type 0x01) or ECDSA P-256 ({@code CKM_ECDSA} over a host SHA-256, type 0x02, the token's raw
 * {@code r || s} re-encoded as DER). The token session must stay open while this signer is used.
 */
public final class HsmNoteSigner implements NoteSigner {

  /** DER SubjectPublicKeyInfo header of a P-256 key, before the 65-byte point. */
  private static final byte[] P256_SPKI_HEADER = HexFormat.of()
      .parseHex("3059301306072a8648ce3d020106082a8648ce3d030107034200");

  private final VerifierKey verifierKey;
  private final Ed25519PrivateKey ed25519;
  private final EcPrivateKey ecdsa;

  private HsmNoteSigner(VerifierKey key, Ed25519PrivateKey ed25519, EcPrivateKey ecdsa) {
    this.verifierKey = key;
    this.ed25519 = ed25519;
    this.ecdsa = ecdsa;
  }

  /** An Ed25519 note signer (type 0x01) named {@code name}. */
  public static HsmNoteSigner ed25519(String name, Ed25519PrivateKey key)
      throws HsmException, MalformedInputException {
    return new HsmNoteSigner(VerifierKey.ed25519(name, key.publicKey().key()), key, null);
  }

  /** An ECDSA P-256 note signer (type 0x02) named {@code name}. */
  public static HsmNoteSigner ecdsa(String name, EcPrivateKey key)
      throws HsmException, MalformedInputException {
    return new HsmNoteSigner(VerifierKey.ecdsa(name, spki(key.publicKey().point())), null, key);
  }

  /** The DER SubjectPublicKeyInfo of an uncompressed P-256 point. */
  public static byte[] spki(byte[] point) {
    byte[] out = new byte[P256_SPKI_HEADER.length + point.length];
    System.arraycopy(P256_SPKI_HEADER, 0, out, 0, P256_SPKI_HEADER.length);
    System.arraycopy(point, 0, out, P256_SPKI_HEADER.length, point.length);
    return out;
  }

  @Override
  public VerifierKey verifierKey() {
    return verifierKey;
  }

  @Override
  public byte[] sign(byte[] message) throws TransparencyException {
    try {
      if (ed25519 != null) {
        return ed25519.sign(message);
      }
      return EcdsaNoteSigner.derSignature(ecdsa.signEcdsa(message));
    } catch (HsmException e) {
      throw new TransparencyFaultException("HSM signing with " + name() + " failed: "
          + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "HsmNoteSigner[" + name() + "+" + String.format("%08x", keyId()) + "]";
  }
}
