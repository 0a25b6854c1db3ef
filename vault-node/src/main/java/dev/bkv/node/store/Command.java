package dev.bkv.node.store;


/**
 * A replicated mutation of the record store. Wire format: a version byte ({@value #VERSION}),
 * a tag byte, then the fields of that command in order; byte strings carry a u32 length, integers
 * are big-endian u32/u64. Times come from the command (the submitting member's clock), never from
 * the applying replica, so every replica computes the same state.
 */
public sealed interface Command {
  int VERSION = 1;

  UserId userId();

  long timeMillis();

  byte[] toBytes();

  /**
   * Create a record; refused with EXISTS if the user has a live record, unless that record was
   * written by this same registration id (a retried request: answered OK, nothing changes).
   * Clears a lockout. Tag {@code 0x01} without a registration id, {@code 0x06} with one, so logs
   * written before registration ids existed still parse.
   */
  record Register(UserId userId, long timeMillis, long epoch, int attemptLimit,
      byte[] registrationRecord, byte[] sealedKey, byte[] registrationId) implements Command {
    static final int TAG = 0x01;
    static final int TAG_WITH_ID = 0x06;

    public Register {
      Commands.checkNew(userId, timeMillis, epoch, attemptLimit, registrationRecord, sealedKey);
      UserRecord.checkRegistrationId(registrationId);
      registrationRecord = registrationRecord.clone();
      sealedKey = sealedKey.clone();
      registrationId = registrationId.clone();
    }

    @Override
    public byte[] registrationId() {
      return registrationId.clone();
    }

    @Override
    public byte[] registrationRecord() {
      return registrationRecord.clone();
    }

    @Override
    public byte[] sealedKey() {
      return sealedKey.clone();
    }

    @Override
    public byte[] toBytes() {
      WireWriter w = Commands.head(registrationId.length == 0 ? TAG : TAG_WITH_ID, userId,
          timeMillis).u64(epoch).u32(attemptLimit).bytes(registrationRecord).bytes(sealedKey);
      if (registrationId.length != 0) {
        w.bytes(registrationId);
      }
      return w.toBytes();
    }
  }

  /**
   * Password change: overwrite the record, only if it is still the version (generation) that a
   * completed login was verified against. Resets the attempts to zero.
   */
  record Replace(UserId userId, long timeMillis, long expectedGeneration, long epoch,
      int attemptLimit, byte[] registrationRecord, byte[] sealedKey) implements Command {
    static final int TAG = 0x02;

    public Replace {
      Commands.checkNew(userId, timeMillis, epoch, attemptLimit, registrationRecord, sealedKey);
      Commands.checkNonNegative("expected generation", expectedGeneration);
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

    @Override
    public byte[] toBytes() {
      return Commands.head(TAG, userId, timeMillis).u64(expectedGeneration).u64(epoch)
          .u32(attemptLimit).bytes(registrationRecord).bytes(sealedKey).toBytes();
    }
  }

  /** Count one recover attempt before the HSM evaluates anything; past the limit, destroy. */
  record Attempt(UserId userId, long timeMillis) implements Command {
    static final int TAG = 0x03;

    public Attempt {
      Commands.checkHead(userId, timeMillis);
    }

    @Override
    public byte[] toBytes() {
      return Commands.head(TAG, userId, timeMillis).toBytes();
    }
  }

  /** After a successful login against {@code expectedGeneration}: attempts back to zero. */
  record Reset(UserId userId, long timeMillis, long expectedGeneration) implements Command {
    static final int TAG = 0x04;

    public Reset {
      Commands.checkHead(userId, timeMillis);
      Commands.checkNonNegative("expected generation", expectedGeneration);
    }

    @Override
    public byte[] toBytes() {
      return Commands.head(TAG, userId, timeMillis).u64(expectedGeneration).toBytes();
    }
  }

  /** After a successful login against {@code expectedGeneration}: erase the user entirely. */
  record Delete(UserId userId, long timeMillis, long expectedGeneration) implements Command {
    static final int TAG = 0x05;

    public Delete {
      Commands.checkHead(userId, timeMillis);
      Commands.checkNonNegative("expected generation", expectedGeneration);
    }

    @Override
    public byte[] toBytes() {
      return Commands.head(TAG, userId, timeMillis).u64(expectedGeneration).toBytes();
    }
  }

  /** Strictly parses a command; any deviation from the format is a typed error. */
  static Command parse(byte[] data) throws MalformedMessageException {
    if (data == null) {
      throw new MalformedMessageException("command is null");
    }
    WireReader r = new WireReader("command", data);
    r.version(VERSION);
    int tag = r.u8("tag");
    UserId user = new UserId(r.bytes("user id", 1, UserId.MAX_LENGTH));
    long time = r.nonNegative("time");
    Command c = switch (tag) {
      case Register.TAG, Register.TAG_WITH_ID -> new Register(user, time, r.nonNegative("epoch"),
          r.u32("attempt limit", 1, UserRecord.MAX_LIMIT),
          r.bytes("registration record", 1, UserRecord.MAX_BLOB),
          r.bytes("sealed key", 1, UserRecord.MAX_BLOB),
          tag == Register.TAG ? new byte[0]
              : r.bytes("registration id", UserRecord.REGISTRATION_ID_LENGTH,
                  UserRecord.REGISTRATION_ID_LENGTH));
      case Replace.TAG -> new Replace(user, time, r.nonNegative("expected generation"),
          r.nonNegative("epoch"), r.u32("attempt limit", 1, UserRecord.MAX_LIMIT),
          r.bytes("registration record", 1, UserRecord.MAX_BLOB),
          r.bytes("sealed key", 1, UserRecord.MAX_BLOB));
      case Attempt.TAG -> new Attempt(user, time);
      case Reset.TAG -> new Reset(user, time, r.nonNegative("expected generation"));
      case Delete.TAG -> new Delete(user, time, r.nonNegative("expected generation"));
      default -> throw new MalformedMessageException("command tag is 0x"
          + Integer.toHexString(tag) + "; expected 0x01..0x06");
    };
    r.end();
    return c;
  }
}

/** Shared validation and header writing for {@link Command} records. */
final class Commands {
  private Commands() {}

  static WireWriter head(int tag, UserId user, long time) {
    return new WireWriter().u8(Command.VERSION).u8(tag).bytes(user.bytes()).u64(time);
  }

  static void checkHead(UserId user, long time) {
    if (user == null) {
      throw new IllegalArgumentException("user id must not be null");
    }
    checkNonNegative("time", time);
  }

  static void checkNonNegative(String what, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(what + " is " + value + "; expected >= 0");
    }
  }

  static void checkNew(UserId user, long time, long epoch, int limit, byte[] record, byte[] key) {
    checkHead(user, time);
    checkNonNegative("epoch", epoch);
    if (limit < 1 || limit > UserRecord.MAX_LIMIT) {
      throw new IllegalArgumentException("attempt limit is " + limit + "; expected 1.."
          + UserRecord.MAX_LIMIT);
    }
    if (record == null || record.length == 0 || record.length > UserRecord.MAX_BLOB) {
      throw new IllegalArgumentException("registration record is "
          + (record == null ? "null" : record.length + " bytes") + "; expected 1.."
          + UserRecord.MAX_BLOB);
    }
    if (key == null || key.length == 0 || key.length > UserRecord.MAX_BLOB) {
      throw new IllegalArgumentException("sealed key is " + (key == null ? "null" : key.length
          + " bytes") + "; expected 1.." + UserRecord.MAX_BLOB);
    }
  }
}
