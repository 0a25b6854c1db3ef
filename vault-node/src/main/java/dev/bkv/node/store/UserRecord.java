package dev.bkv.node.store;

import dev.bkv.node.store.internal.WireReader;
import dev.bkv.node.store.internal.WireWriter;

/**
 * A registered user's replicated record.
 *
 * @param userId the user
 * @param registrationRecord the OPAQUE registration record (opaque bytes at this layer)
 * @param sealedKey the sealed backup key, already wrapped by the HSM record key
 * @param attemptsUsed recover attempts since the last successful login
 * @param attemptLimit attempts allowed before the record is destroyed
 * @param epoch the fleet epoch the record was sealed under
 * @param generation the Raft log index of the command that wrote this version of the record;
 *     unique per user id, so a login binds to exactly one version
 * @param createdAt time of the first registration (from the command)
 * @param updatedAt time of the last change (from the command)
 */
public record UserRecord(UserId userId, byte[] registrationRecord, byte[] sealedKey,
    int attemptsUsed, int attemptLimit, long epoch, long generation, long createdAt,
    long updatedAt) {
  public static final int MAX_BLOB = 64 * 1024;
  public static final int MAX_LIMIT = 1000;
  public static final int DEFAULT_LIMIT = 10;
  private static final int VERSION = 1;

  public UserRecord {
    if (userId == null || registrationRecord == null || sealedKey == null) {
      throw new IllegalArgumentException("user record fields must not be null");
    }
    if (registrationRecord.length == 0 || registrationRecord.length > MAX_BLOB
        || sealedKey.length == 0 || sealedKey.length > MAX_BLOB) {
      throw new IllegalArgumentException("record is " + registrationRecord.length
          + " bytes and sealed key " + sealedKey.length + " bytes; expected 1.." + MAX_BLOB);
    }
    if (attemptLimit < 1 || attemptLimit > MAX_LIMIT || attemptsUsed < 0
        || attemptsUsed > attemptLimit) {
      throw new IllegalArgumentException("attempts " + attemptsUsed + "/" + attemptLimit
          + "; expected 0..limit with limit 1.." + MAX_LIMIT);
    }
    registrationRecord = registrationRecord.clone();
    sealedKey = sealedKey.clone();
  }

  @Override
  public byte[] registrationRecord() {
    return registrationRecord.clone();
  }

  @Override
  public byte[] sealedKey() {
    return sealedKey.clone();
  }

  public int attemptsLeft() {
    return attemptLimit - attemptsUsed;
  }

  UserRecord withAttempts(int used, long time) {
    return new UserRecord(userId, registrationRecord, sealedKey, used, attemptLimit, epoch,
        generation, createdAt, time);
  }

  public byte[] toBytes() {
    return new WireWriter().u8(VERSION).bytes(userId.bytes()).bytes(registrationRecord)
        .bytes(sealedKey).u32(attemptsUsed).u32(attemptLimit).u64(epoch).u64(generation)
        .u64(createdAt).u64(updatedAt).toBytes();
  }

  public static UserRecord parse(byte[] data) throws MalformedMessageException {
    WireReader r = new WireReader("user record", data);
    r.version(VERSION);
    UserId id = new UserId(r.bytes("user id", 1, UserId.MAX_LENGTH));
    byte[] rec = r.bytes("registration record", 1, MAX_BLOB);
    byte[] key = r.bytes("sealed key", 1, MAX_BLOB);
    int used = r.u32("attempts used", 0, MAX_LIMIT);
    int limit = r.u32("attempt limit", 1, MAX_LIMIT);
    if (used > limit) {
      throw new MalformedMessageException("user record attempts used " + used
          + " exceeds its limit " + limit);
    }
    long epoch = r.nonNegative("epoch");
    long generation = r.nonNegative("generation");
    long created = r.nonNegative("created");
    long updated = r.nonNegative("updated");
    r.end();
    return new UserRecord(id, rec, key, used, limit, epoch, generation, created, updated);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UserRecord u && java.util.Arrays.equals(toBytes(), u.toBytes());
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(toBytes());
  }

  @Override
  public String toString() {
    return "UserRecord[" + userId + ", attempts " + attemptsUsed + "/" + attemptLimit
        + ", epoch " + epoch + ", generation " + generation + "]";
  }
}
