package dev.bkv.node.raft;

import dev.bkv.node.store.MalformedMessageException;
import dev.bkv.node.store.WireReader;
import dev.bkv.node.store.WireWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A peer's answer to a {@link Query.Partial} or {@link Query.Generate}: a status, a message
 * naming why when refused, and one value per share set (a compressed point for a partial, a
 * wrapped share for a generate). Wire format: version, status, message, u32 count, then per
 * entry the set name and the value.
 */
public record PeerAnswer(Status status, String message, List<Entry> entries) {
  private static final int VERSION = 1;

  public enum Status {
    /** Done: one entry per requested set. */
    OK(1),
    /** No record or registration for the user: the peer did the same work on nothing. */
    UNKNOWN(2),
    /** Refused by a rule (the message names it); nothing was evaluated. */
    REFUSED(3);

    final int code;

    Status(int code) {
      this.code = code;
    }
  }

  /** One set's value. */
  public record Entry(String set, byte[] value) {
    public Entry {
      Objects.requireNonNull(set, "set");
      value = Objects.requireNonNull(value, "value").clone();
    }

    @Override
    public byte[] value() {
      return value.clone();
    }
  }

  public PeerAnswer {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(message, "message");
    entries = List.copyOf(entries);
  }

  public static PeerAnswer refused(String why) {
    return new PeerAnswer(Status.REFUSED, why, List.of());
  }

  public static PeerAnswer unknown() {
    return new PeerAnswer(Status.UNKNOWN, "", List.of());
  }

  public byte[] toBytes() {
    WireWriter w = new WireWriter().u8(VERSION).u8(status.code)
        .bytes(message.getBytes(StandardCharsets.UTF_8)).u32(entries.size());
    for (Entry e : entries) {
      w.bytes(e.set().getBytes(StandardCharsets.UTF_8)).bytes(e.value);
    }
    return w.toBytes();
  }

  public static PeerAnswer parse(byte[] data) throws MalformedMessageException {
    WireReader r = new WireReader("peer answer", data);
    r.version(VERSION);
    int code = r.u8("status");
    Status status = null;
    for (Status s : Status.values()) {
      if (s.code == code) {
        status = s;
      }
    }
    if (status == null) {
      throw new MalformedMessageException("peer answer status is " + code + "; expected 1..3");
    }
    String message = new String(r.bytes("message", 0, 4096), StandardCharsets.UTF_8);
    int n = r.u32("entry count", 0, 126);
    List<Entry> entries = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      entries.add(new Entry(new String(r.bytes("set", 1, 600), StandardCharsets.UTF_8),
          r.bytes("value", 1, 1024)));
    }
    r.end();
    return new PeerAnswer(status, message, entries);
  }
}
