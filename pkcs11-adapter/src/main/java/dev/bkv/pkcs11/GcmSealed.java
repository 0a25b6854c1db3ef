package dev.bkv.pkcs11;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * An AES-GCM encryption with the IV it was made under, whoever chose it (see {@link GcmIv}).
 *
 * @param iv               the 12-byte IV the token encrypted under
 * @param ciphertextAndTag {@code ciphertext || tag (16)}
 */
public record GcmSealed(byte[] iv, byte[] ciphertextAndTag) {
  public GcmSealed {
    Objects.requireNonNull(iv, "iv");
    Objects.requireNonNull(ciphertextAndTag, "ciphertextAndTag");
    if (iv.length != AesKey.IV_BYTES) {
      throw new IllegalArgumentException("GCM IV is " + iv.length + " bytes; expected " + AesKey.IV_BYTES);
    }
    if (ciphertextAndTag.length <= AesKey.TAG_BYTES) {
      throw new IllegalArgumentException("GCM output is " + ciphertextAndTag.length
          + " bytes; expected more than the " + AesKey.TAG_BYTES + "-byte tag");
    }
    iv = iv.clone();
    ciphertextAndTag = ciphertextAndTag.clone();
  }

  @Override
  public byte[] iv() {
    return iv.clone();
  }

  @Override
  public byte[] ciphertextAndTag() {
    return ciphertextAndTag.clone();
  }

  /** {@code iv || ciphertext || tag}, the blob bkv stores. */
  public byte[] toBytes() {
    return ByteBuffer.allocate(iv.length + ciphertextAndTag.length).put(iv).put(ciphertextAndTag).array();
  }
}
