package dev.bkv.node.store;

import java.util.Optional;

/**
 * The result of applying one {@link Command}, identical on every replica. Wire format: version
 * byte, status code, then a presence byte and, if present, the length-prefixed record.
 *
 * @param status what happened
 * @param record the record after the command (for OK results of register, replace, attempt and
 *     reset); empty otherwise
 */
public record Outcome(Status status, Optional<UserRecord> record) {
  private static final int VERSION = 1;

  /** Status codes; the numbers are part of the wire format and never change. */
  public enum Status {
    /** The command took effect. */
    OK(1),
    /** Register refused: the user already has a live record. */
    EXISTS(2),
    /** No record and no lockout for this user. */
    UNKNOWN(3),
    /** The user is locked out (this attempt destroyed the record, or an earlier one did). */
    LOCKED(4),
    /** The record is no longer the version the completed login was verified against. */
    CONFLICT(5),
    /** This log entry had already been applied before a restart; nothing changed. */
    REPLAYED(6),
    /** Begin refused: one of its key shares was committed before (a share is used once). */
    REUSED(7),
    /** Reset refused: no valid reset-key signature for the record's latest attempt. */
    UNPROVEN(8);

    private final int code;

    Status(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }

    static Status ofCode(int code) throws MalformedMessageException {
      for (Status s : values()) {
        if (s.code == code) {
          return s;
        }
      }
      throw new MalformedMessageException("outcome status is " + code + "; expected 1..8");
    }
  }

  public Outcome {
    if (status == null || record == null) {
      throw new IllegalArgumentException("outcome fields must not be null");
    }
  }

  public static Outcome of(Status status) {
    return new Outcome(status, Optional.empty());
  }

  public static Outcome ok(UserRecord record) {
    return new Outcome(Status.OK, Optional.of(record));
  }

  public byte[] toBytes() {
    WireWriter w = new WireWriter().u8(VERSION).u8(status.code).u8(record.isPresent() ? 1 : 0);
    record.ifPresent(r -> w.bytes(r.toBytes()));
    return w.toBytes();
  }

  public static Outcome parse(byte[] data) throws MalformedMessageException {
    WireReader r = new WireReader("outcome", data);
    r.version(VERSION);
    Status status = Status.ofCode(r.u8("status"));
    int present = r.u8("record presence");
    Optional<UserRecord> rec = switch (present) {
      case 0 -> Optional.empty();
      case 1 -> Optional.of(UserRecord.parse(r.bytes("record", 1, 4 * UserRecord.MAX_BLOB)));
      default -> throw new MalformedMessageException("outcome record presence is " + present
          + "; expected 0 or 1");
    };
    r.end();
    return new Outcome(status, rec);
  }
}
