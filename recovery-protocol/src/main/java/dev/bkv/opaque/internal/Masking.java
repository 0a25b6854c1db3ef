package dev.bkv.opaque.internal;

import dev.bkv.hash.Hkdf;
/** RFC 9807 credential-response masking: xor with Expand(masking_key, nonce || label, 97). */
public final class Masking {
  /** Npk + Nn + Nm = 33 + 32 + 32. */
  public static final int MASKED_LENGTH = 33 + Envelope.LENGTH;

  private Masking() {}

  /** Masks or unmasks (xor is its own inverse). */
  public static byte[] apply(byte[] maskingKey, byte[] maskingNonce, byte[] data) {
    byte[] pad = Hkdf.expand(maskingKey,
        Bytes.concat(maskingNonce, Bytes.ascii("CredentialResponsePad")), MASKED_LENGTH);
    return Bytes.xor(pad, data);
  }
}
