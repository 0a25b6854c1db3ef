package dev.bkv.node.service;

import dev.bkv.node.store.UserId;
import dev.bkv.opaque.RegistrationRecord;
import dev.bkv.recovery.BadInputException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * What the node stores as a user's registration record: {@code version (0x01) ‖ salt (16) ‖ RFC
 * 9807 RegistrationRecord (129)}. The salt is chosen by the node for each registration and
 * makes the OPAQUE credential identifier {@code user id ‖ salt}, so the per-user OPRF key
 * changes with every registration: evaluations obtained through the (unlimited) registration
 * endpoint can never be used to test guesses against a record stored later.
 *
 * @param salt the per-registration salt (16 bytes)
 * @param record the OPAQUE registration record
 */
public record StoredRecord(byte[] salt, RegistrationRecord record) {
  public static final int SALT_LENGTH = 16;
  static final byte VERSION = 0x01;
  public static final int LENGTH = 1 + SALT_LENGTH + RegistrationRecord.LENGTH;

  public StoredRecord {
    if (salt == null || salt.length != SALT_LENGTH || record == null) {
      throw new IllegalArgumentException("stored record needs a 16-byte salt and a record");
    }
    salt = salt.clone();
  }

  @Override
  public byte[] salt() {
    return salt.clone();
  }

  /** The OPAQUE credential identifier: {@code user id ‖ salt}. */
  public byte[] credentialIdentifier(UserId user) {
    return credentialIdentifier(user, salt);
  }

  static byte[] credentialIdentifier(UserId user, byte[] salt) {
    byte[] id = user.bytes();
    return ByteBuffer.allocate(id.length + salt.length).put(id).put(salt).array();
  }

  public byte[] toBytes() {
    return ByteBuffer.allocate(LENGTH).put(VERSION).put(salt).put(record.toBytes()).array();
  }

  public static StoredRecord parse(byte[] bytes) throws BadInputException {
    if (bytes == null || bytes.length != LENGTH) {
      throw new BadInputException("stored record is " + (bytes == null ? "null" : bytes.length
          + " bytes") + "; expected " + LENGTH);
    }
    if (bytes[0] != VERSION) {
      throw new BadInputException("stored record version is " + bytes[0] + "; expected 1");
    }
    return new StoredRecord(Arrays.copyOfRange(bytes, 1, 1 + SALT_LENGTH),
        RegistrationRecord.parse(Arrays.copyOfRange(bytes, 1 + SALT_LENGTH, LENGTH)));
  }
}
