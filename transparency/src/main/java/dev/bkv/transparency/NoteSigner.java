package dev.bkv.transparency;

/**
 * Something that can sign note texts under one key: a file key (for example
 * {@link Ed25519NoteSigner}) or a key held in an HSM.
 *
 * <p>Contract: {@link #sign(byte[])} returns the raw signature bytes for the signature type of
 * the key, computed over exactly the bytes given (the note text including its final newline):
 * 64 bytes for Ed25519, an ASN.1 DER ECDSA-Sig-Value over SHA-256 for ECDSA. It must not return
 * the key ID; {@link SignedNotes} prepends {@link #keyId()}. Implementations never expose private
 * key material through this interface.
 */
public interface NoteSigner {

  /** The public key that verifies this signer's signatures. */
  VerifierKey verifierKey();

  /** The key name written on the signature line (no spaces, no '+'): the verifier key's. */
  default String name() {
    return verifierKey().name();
  }

  /** The 32-bit key ID, as computed by {@link VerifierKey} for this key's public key. */
  default int keyId() {
    return verifierKey().keyId();
  }

  /** Signs the message; failures of the key store surface as {@link TransparencyException}. */
  byte[] sign(byte[] message) throws TransparencyException;
}
