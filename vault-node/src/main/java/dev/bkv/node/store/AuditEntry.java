package dev.bkv.node.store;


/**
 * One event in a user's audit trail.
 *
 * @param kind what happened
 * @param timeMillis the time carried by the command (the submitting member's clock)
 * @param attemptsUsed attempts used right after the event
 * @param attemptLimit the record's limit at the time
 */
public record AuditEntry(Kind kind, long timeMillis, int attemptsUsed, int attemptLimit) {

  /**
   * Event kinds; the codes are part of the stored format and never change. {@code DELETE} (7)
   * appears only in user states of version 2 ({@link UserState}): a delete that kept the trail
   * because it records a lockout.
   */
  public enum Kind {
    REGISTER(1), ATTEMPT(2), SUCCESS(3), LOCKOUT(4), PASSWORD_CHANGE(5), REFUSED_LOCKED(6),
    DELETE(7);

    private final int code;

    Kind(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }

    static Kind ofCode(int code) throws MalformedMessageException {
      for (Kind k : values()) {
        if (k.code == code) {
          return k;
        }
      }
      throw new MalformedMessageException("audit entry kind is " + code + "; expected 1.."
          + values().length);
    }
  }

  public AuditEntry {
    if (kind == null || timeMillis < 0 || attemptsUsed < 0 || attemptLimit < 0) {
      throw new IllegalArgumentException("invalid audit entry " + kind + " " + timeMillis + " "
          + attemptsUsed + "/" + attemptLimit);
    }
  }

  /**
   * Whether this event makes a trail outlive a delete: a lockout, or the mark of an earlier
   * delete that kept the trail for one.
   */
  boolean isEvidence() {
    return kind == Kind.LOCKOUT || kind == Kind.DELETE;
  }

  void writeTo(WireWriter w) {
    w.u8(kind.code).u64(timeMillis).u32(attemptsUsed).u32(attemptLimit);
  }

  static AuditEntry readFrom(WireReader r) throws MalformedMessageException {
    Kind kind = Kind.ofCode(r.u8("audit kind"));
    long time = r.nonNegative("audit time");
    int used = r.u32("audit attempts used", 0, Integer.MAX_VALUE);
    int limit = r.u32("audit attempt limit", 0, Integer.MAX_VALUE);
    return new AuditEntry(kind, time, used, limit);
  }
}
