package dev.bkv.node.store;

import java.util.ArrayList;
import java.util.List;

/**
 * What the store knows about one user: a live record, a lockout tombstone, a registration staged
 * for a migration, a record closed by one, or nothing. The audit
 * trail survives a lockout (so a user who registers again can see the guessing that locked them
 * out). A delete erases it, unless it records a lockout: then the trail stays (with a {@code
 * DELETE} event) and the next owner of the id sees it after registering.
 *
 * <p>Stored format: version 1 as before; version 2 (the same layout) is written only for a state
 * that version 1 cannot express, an absent user with a kept trail or a trail holding a {@code
 * DELETE} event, so every other state keeps its version-1 bytes. Both versions are read.
 */
public sealed interface UserState {
  int VERSION = 2;
  int MAX_AUDIT = 1024;

  List<AuditEntry> audit();

  /** A live record. */
  record Present(UserRecord record, List<AuditEntry> audit) implements UserState {
    public Present {
      audit = List.copyOf(audit);
    }
  }

  /** The record was destroyed by running out of attempts. */
  record Locked(UserId userId, long lockedAt, long epoch, long generation,
      List<AuditEntry> audit) implements UserState {
    public Locked {
      audit = List.copyOf(audit);
    }
  }

  /**
   * A registration staged on the fleet the user is migrating to (DESIGN §11): kept, but it
   * answers no login until an {@link Command.Activate} proves its predecessor closed.
   */
  record Staged(UserRecord record, byte[] successor, List<AuditEntry> audit)
      implements UserState {
    public Staged {
      successor = Commands.checkDigest("successor", successor);
      audit = List.copyOf(audit);
    }

    @Override
    public byte[] successor() {
      return successor.clone();
    }
  }

  /**
   * The record moved to the next fleet: it answers no login; {@code successor} names the staged
   * registration that may take its place there, {@code attempts} the attempts it had used.
   */
  record Closed(UserId userId, long closedAt, long epoch, long generation, byte[] successor,
      int attempts, List<AuditEntry> audit) implements UserState {
    public Closed {
      successor = Commands.checkDigest("successor", successor);
      audit = List.copyOf(audit);
    }

    @Override
    public byte[] successor() {
      return successor.clone();
    }
  }

  /**
   * Never registered, or deleted. The audit trail is empty except after the delete of a record
   * whose trail records a lockout.
   */
  record Absent(List<AuditEntry> audit) implements UserState {
    public Absent {
      audit = List.copyOf(audit);
    }

    public Absent() {
      this(List.of());
    }
  }

  default byte[] toBytes() {
    boolean needsV2 = this instanceof Absent && !audit().isEmpty()
        || this instanceof Staged || this instanceof Closed
        || audit().stream().anyMatch(e -> e.kind() == AuditEntry.Kind.DELETE);
    WireWriter w = new WireWriter().u8(needsV2 ? 2 : 1);
    if (this instanceof Present p) {
      w.u8(1).bytes(p.record().toBytes());
    } else if (this instanceof Locked l) {
      w.u8(2).bytes(l.userId().bytes()).u64(l.lockedAt()).u64(l.epoch()).u64(l.generation());
    } else if (this instanceof Staged st) {
      w.u8(4).bytes(st.record().toBytes()).bytes(st.successor());
    } else if (this instanceof Closed c) {
      w.u8(5).bytes(c.userId().bytes()).u64(c.closedAt()).u64(c.epoch()).u64(c.generation())
          .bytes(c.successor()).u32(c.attempts());
    } else {
      w.u8(3);
    }
    writeAudit(w, audit());
    return w.toBytes();
  }

  static UserState parse(byte[] data) throws MalformedMessageException {
    WireReader r = new WireReader("user state", data);
    int version = r.version(1, VERSION);
    int tag = r.u8("state tag");
    UserState s = switch (tag) {
      case 1 -> new Present(UserRecord.parse(r.bytes("record", 1, 4 * UserRecord.MAX_BLOB)),
          readAudit(r, version));
      case 2 -> new Locked(new UserId(r.bytes("user id", 1, UserId.MAX_LENGTH)),
          r.nonNegative("locked at"), r.nonNegative("epoch"), r.nonNegative("generation"),
          readAudit(r, version));
      case 3 -> {
        List<AuditEntry> audit = readAudit(r, version);
        if (version == 1 && !audit.isEmpty()) {
          throw new MalformedMessageException("user state version 1 is absent but carries an "
              + "audit trail");
        }
        yield new Absent(audit);
      }
      case 4 -> new Staged(UserRecord.parse(r.bytes("record", 1, 4 * UserRecord.MAX_BLOB)),
          r.bytes("successor", Commands.DIGEST_LENGTH, Commands.DIGEST_LENGTH),
          readAudit(r, version));
      case 5 -> new Closed(new UserId(r.bytes("user id", 1, UserId.MAX_LENGTH)),
          r.nonNegative("closed at"), r.nonNegative("epoch"), r.nonNegative("generation"),
          r.bytes("successor", Commands.DIGEST_LENGTH, Commands.DIGEST_LENGTH),
          (int) r.u32("attempts", 0, UserRecord.MAX_LIMIT), readAudit(r, version));
      default -> throw new MalformedMessageException("user state tag is " + tag
          + "; expected 1..5");
    };
    r.end();
    return s;
  }

  /** Writes a u32 count followed by the entries. */
  static void writeAudit(WireWriter w, List<AuditEntry> audit) {
    w.u32(audit.size());
    audit.forEach(e -> e.writeTo(w));
  }

  static List<AuditEntry> readAudit(WireReader r, int version)
      throws MalformedMessageException {
    int n = r.u32("audit count", 0, MAX_AUDIT);
    List<AuditEntry> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      AuditEntry e = AuditEntry.readFrom(r);
      if (version == 1 && e.kind() == AuditEntry.Kind.DELETE) {
        throw new MalformedMessageException("user state version 1 has a DELETE audit entry; "
            + "expected version 2");
      }
      out.add(e);
    }
    return out;
  }
}
