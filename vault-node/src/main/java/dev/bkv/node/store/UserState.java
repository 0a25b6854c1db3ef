package dev.bkv.node.store;

import dev.bkv.node.store.internal.WireReader;
import dev.bkv.node.store.internal.WireWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * What the store knows about one user: a live record, a lockout tombstone, or nothing. The audit
 * trail survives a lockout (so a user who registers again can see the guessing that locked them
 * out) and is erased by delete.
 */
public sealed interface UserState {
  int VERSION = 1;
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

  /** Never registered, or deleted. */
  record Absent() implements UserState {
    @Override
    public List<AuditEntry> audit() {
      return List.of();
    }
  }

  default byte[] toBytes() {
    WireWriter w = new WireWriter().u8(VERSION);
    if (this instanceof Present p) {
      w.u8(1).bytes(p.record().toBytes());
    } else if (this instanceof Locked l) {
      w.u8(2).bytes(l.userId().bytes()).u64(l.lockedAt()).u64(l.epoch()).u64(l.generation());
    } else {
      w.u8(3);
    }
    writeAudit(w, audit());
    return w.toBytes();
  }

  static UserState parse(byte[] data) throws MalformedMessageException {
    WireReader r = new WireReader("user state", data);
    r.version(VERSION);
    int tag = r.u8("state tag");
    UserState s = switch (tag) {
      case 1 -> new Present(UserRecord.parse(r.bytes("record", 1, 4 * UserRecord.MAX_BLOB)),
          readAudit(r));
      case 2 -> new Locked(new UserId(r.bytes("user id", 1, UserId.MAX_LENGTH)),
          r.nonNegative("locked at"), r.nonNegative("epoch"), r.nonNegative("generation"),
          readAudit(r));
      case 3 -> {
        if (!readAudit(r).isEmpty()) {
          throw new MalformedMessageException("user state is absent but carries an audit trail");
        }
        yield new Absent();
      }
      default -> throw new MalformedMessageException("user state tag is " + tag
          + "; expected 1..3");
    };
    r.end();
    return s;
  }

  /** Writes a u32 count followed by the entries. */
  static void writeAudit(WireWriter w, List<AuditEntry> audit) {
    w.u32(audit.size());
    audit.forEach(e -> e.writeTo(w));
  }

  static List<AuditEntry> readAudit(WireReader r) throws MalformedMessageException {
    int n = r.u32("audit count", 0, MAX_AUDIT);
    List<AuditEntry> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(AuditEntry.readFrom(r));
    }
    return out;
  }
}
