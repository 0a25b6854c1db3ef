package dev.bkv.seal;

import dev.bkv.recovery.BadInputException;

/**
 * The sealed-backup-key format, version 1:
 * {@code version (0x01) || nonce (12) || AES-256-GCM ciphertext of the 32-byte backup key
 * || tag (16)} = 61 bytes. The version byte is also the GCM associated data.
 */
public record SealedBackupKey(byte[] bytes) {
  public static final byte VERSION_1 = 0x01;
  public static final int NONCE_LENGTH = 12;
  public static final int TAG_LENGTH = 16;
  public static final int BACKUP_KEY_LENGTH = 32;
  public static final int LENGTH = 1 + NONCE_LENGTH + BACKUP_KEY_LENGTH + TAG_LENGTH;

  public SealedBackupKey {
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  public byte[] toBytes() {
    return bytes.clone();
  }

  /** Checks length and version; authenticity is checked only when opening. */
  public static SealedBackupKey parse(byte[] bytes) throws BadInputException {
    if (bytes == null || bytes.length != LENGTH) {
      throw new BadInputException("sealed backup key is "
          + (bytes == null ? "null" : bytes.length + " bytes") + "; expected " + LENGTH);
    }
    if (bytes[0] != VERSION_1) {
      throw new BadInputException(String.format(
          "sealed backup key version 0x%02x; expected 0x%02x", bytes[0] & 0xff, VERSION_1));
    }
    return new SealedBackupKey(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SealedBackupKey s && java.util.Arrays.equals(bytes, s.bytes);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "SealedBackupKey[v1, " + bytes.length + " bytes]";
  }
}
