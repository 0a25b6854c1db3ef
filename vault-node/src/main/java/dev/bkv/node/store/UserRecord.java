package dev.bkv.node.store;


/**
 * A registered user's replicated record.
 *
 * @param userId the user
 * @param content the OPAQUE registration record (opaque bytes at this layer) and the sealed
 *     backup key, already wrapped by the HSM record key
 * @param attemptsUsed recover attempts since the last successful login
 * @param attemptLimit attempts allowed before the record is destroyed
 * @param epoch the fleet epoch the record was sealed under
 * @param generation the Raft log index of the command that wrote this version of the record;
 *     unique per user id, so a login binds to exactly one version
 * @param createdAt time of the first registration (from the command)
 * @param updatedAt time of the last change (from the command)
 * @param registrationId the client's id for the registration request that wrote this version
 *     ({@value #REGISTRATION_ID_LENGTH} random bytes, or empty): a retry of that request, after
 *     its reply was lost, is answered as done instead of "already registered"
 * @param keys the record's per-user OPRF key state (DESIGN §10)
 */
public record UserRecord(UserId userId, RecordContent content,
    int attemptsUsed, int attemptLimit, long epoch, long generation, long createdAt,
    long updatedAt, byte[] registrationId, KeyState keys) {
  public static final int MAX_BLOB = 64 * 1024;
  public static final int REGISTRATION_ID_LENGTH = 16;
  public static final int MAX_LIMIT = 1000;
  public static final int DEFAULT_LIMIT = 10;
  /**
   * Version 1 has no registration id; version 2 ends with one; version 3 has a (possibly empty)
   * registration id followed by the key shares and the attempt fields. All are read.
   */
  private static final int VERSION = 1;
  private static final int VERSION_WITH_ID = 2;
  private static final int VERSION_WITH_SHARES = 3;

  public UserRecord {
    if (userId == null || content == null || registrationId == null) {
      throw new IllegalArgumentException("user record fields must not be null");
    }
    if (attemptLimit < 1 || attemptLimit > MAX_LIMIT || attemptsUsed < 0
        || attemptsUsed > attemptLimit) {
      throw new IllegalArgumentException("attempts " + attemptsUsed + "/" + attemptLimit
          + "; expected 0..limit with limit 1.." + MAX_LIMIT);
    }
    checkRegistrationId(registrationId);
    if (keys == null) {
      throw new IllegalArgumentException("key state must not be null");
    }
    registrationId = registrationId.clone();
  }

  /** A record with this registration record, sealed key and key state. */
  public UserRecord(UserId userId, byte[] registrationRecord, byte[] sealedKey,
      int attemptsUsed, int attemptLimit, long epoch, long generation, long createdAt,
      long updatedAt, byte[] registrationId, KeyState keys) {
    this(userId, new RecordContent(registrationRecord, sealedKey), attemptsUsed, attemptLimit,
        epoch, generation, createdAt, updatedAt, registrationId, keys);
  }

  /** A record without key shares and without attempts on it yet. */
  public UserRecord(UserId userId, byte[] registrationRecord, byte[] sealedKey,
      int attemptsUsed, int attemptLimit, long epoch, long generation, long createdAt,
      long updatedAt, byte[] registrationId) {
    this(userId, registrationRecord, sealedKey, attemptsUsed, attemptLimit, epoch, generation,
        createdAt, updatedAt, registrationId, KeyState.NONE);
  }

  /** The record's key shares (empty for records made before key shares existed). */
  public KeyShares shares() {
    return keys.shares();
  }

  /** A registration id is empty (none given) or exactly {@value #REGISTRATION_ID_LENGTH} bytes. */
  public static void checkRegistrationId(byte[] id) {
    if (id == null || (id.length != 0 && id.length != REGISTRATION_ID_LENGTH)) {
      throw new IllegalArgumentException("registration id is "
          + (id == null ? "null" : id.length + " bytes") + "; expected 0 or "
          + REGISTRATION_ID_LENGTH);
    }
  }

  /** The OPAQUE registration record (a copy). */
  public byte[] registrationRecord() {
    return content.registrationRecord();
  }

  /** The sealed backup key as stored, wrapped by the HSM record key (a copy). */
  public byte[] sealedKey() {
    return content.sealedKey();
  }

  @Override
  public byte[] registrationId() {
    return registrationId.clone();
  }

  /** Whether this version was written by the registration request with this non-empty id. */
  public boolean writtenBy(byte[] id) {
    return id.length != 0 && java.util.Arrays.equals(registrationId, id);
  }

  public int attemptsLeft() {
    return attemptLimit - attemptsUsed;
  }

  UserRecord withAttempts(int used, long time) {
    return new UserRecord(userId, content, used, attemptLimit, epoch,
        generation, createdAt, time, registrationId, keys);
  }

  /** After a reset: no attempts used or pending. */
  UserRecord afterReset(long time) {
    return new UserRecord(userId, content, 0, attemptLimit, epoch,
        generation, createdAt, time, registrationId, keys.afterReset());
  }

  /** After the attempt committed at {@code index} on {@code element}: one more used, ever too. */
  UserRecord withAttempt(int used, long time, long index, byte[] element) {
    return new UserRecord(userId, content, used, attemptLimit, epoch,
        generation, createdAt, time, registrationId, keys.afterAttempt(index, element));
  }

  public byte[] toBytes() {
    boolean v3 = !keys.isNone();
    int version = v3 ? VERSION_WITH_SHARES
        : registrationId.length == 0 ? VERSION : VERSION_WITH_ID;
    WireWriter w = new WireWriter().u8(version)
        .bytes(userId.bytes()).bytes(content.registrationRecord()).bytes(content.sealedKey())
        .u32(attemptsUsed)
        .u32(attemptLimit).u64(epoch).u64(generation).u64(createdAt).u64(updatedAt);
    if (v3) {
      w.bytes(registrationId);
      keys.write(w);
    } else if (registrationId.length != 0) {
      w.bytes(registrationId);
    }
    return w.toBytes();
  }

  public static UserRecord parse(byte[] data) throws MalformedMessageException {
    WireReader r = new WireReader("user record", data);
    int version = r.version(VERSION, VERSION_WITH_SHARES);
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
    if (version < VERSION_WITH_SHARES) {
      byte[] registrationId = version == VERSION ? new byte[0]
          : r.bytes("registration id", REGISTRATION_ID_LENGTH, REGISTRATION_ID_LENGTH);
      r.end();
      return new UserRecord(id, rec, key, used, limit, epoch, generation, created, updated,
          registrationId);
    }
    byte[] registrationId = r.bytes("registration id", 0, REGISTRATION_ID_LENGTH);
    KeyState keys = KeyState.read(r);
    r.end();
    if (keys.isNone()) {
      // One encoding per record: a record with nothing in its key state is version 1 or 2.
      throw new MalformedMessageException("user record version 3 has an empty key state; "
          + "expected version 1 or 2 for it");
    }
    try {
      return new UserRecord(id, rec, key, used, limit, epoch, generation, created, updated,
          registrationId, keys);
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException("user record: " + e.getMessage());
    }
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
        + " (" + keys.lifetimeAttempts() + " ever), epoch " + epoch + ", generation "
        + generation + ", " + keys.shares().shares().size() + " key shares]";
  }
}
