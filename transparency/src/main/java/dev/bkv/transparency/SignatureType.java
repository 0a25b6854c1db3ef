package dev.bkv.transparency;

/**
 * Signature type identifier bytes from the C2SP signed-note registry that bkv implements.
 *
 * <p>They are the first byte of a verifier key's key material and, for Ed25519, part of the key
 * ID preimage.
 */
public enum SignatureType {

  /**
   * {@code 0x01}: Ed25519 (RFC 8032) over the note text; public key is the 32-byte RFC 8032
   * encoding; key ID = SHA-256(name || 0x0A || 0x01 || key)[:4].
   */
  ED25519((byte) 0x01),

  /**
   * {@code 0x02}: ECDSA as implemented by github.com/transparency-dev/witness (and used by
   * Sigstore's Rekor): ASN.1 DER signature over SHA-256 of the note text; public key is the DER
   * SubjectPublicKeyInfo; key ID = SHA-256(SPKI)[:4] (the name is not hashed). bkv accepts only
   * NIST P-256, which the registry says SHOULD be used.
   */
  ECDSA((byte) 0x02),

  /**
   * {@code 0x04}: a C2SP tlog-cosignature Ed25519 cosignature/v1, made by a witness over a
   * checkpoint: the signature is an 8-byte big-endian timestamp followed by an Ed25519 signature
   * over {@code "cosignature/v1\ntime <timestamp>\n"} and the checkpoint body; public key is the
   * 32-byte RFC 8032 encoding; key ID = SHA-256(name || 0x0A || 0x04 || key)[:4]. Such a key
   * never verifies a log's own signature, and a log key never verifies a cosignature.
   */
  COSIGNATURE_V1((byte) 0x04);

  private final byte id;

  SignatureType(byte id) {
    this.id = id;
  }

  public byte id() {
    return id;
  }

  /** The type for an identifier byte, or {@code null} when bkv does not implement it. */
  public static SignatureType fromId(byte id) {
    for (SignatureType t : values()) {
      if (t.id == id) {
        return t;
      }
    }
    return null;
  }
}
