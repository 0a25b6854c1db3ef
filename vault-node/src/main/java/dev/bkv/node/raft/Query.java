package dev.bkv.node.raft;

import dev.bkv.node.store.MalformedMessageException;
import dev.bkv.node.store.UserId;
import dev.bkv.node.store.WireReader;
import dev.bkv.node.store.WireWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Read-only requests answered by the state machine without a log entry. Wire format: version
 * byte, tag byte ({@code 0x11} get, {@code 0x12} status), then the fields.
 */
public sealed interface Query {
  int VERSION = 1;

  byte[] toBytes();

  /** The stored state of one user; answered with {@code UserState} bytes. */
  record Get(UserId userId) implements Query {
    static final int TAG = 0x11;

    public Get {
      if (userId == null) {
        throw new IllegalArgumentException("user id must not be null");
      }
    }

    @Override
    public byte[] toBytes() {
      return new WireWriter().u8(VERSION).u8(TAG).bytes(userId.bytes()).toBytes();
    }
  }

  /** This replica's progress; answered with {@link ReplicaStatus} bytes. */
  record Status() implements Query {
    static final int TAG = 0x12;

    @Override
    public byte[] toBytes() {
      return new WireWriter().u8(VERSION).u8(TAG).toBytes();
    }
  }

  /** What a peer evaluates a partial for: a committed attempt or a begun registration. */
  enum Purpose {
    LOGIN(1), REGISTRATION(2);

    final int code;

    Purpose(int code) {
      this.code = code;
    }

    static Purpose of(int code) throws MalformedMessageException {
      for (Purpose p : values()) {
        if (p.code == code) {
          return p;
        }
      }
      throw new MalformedMessageException("partial purpose is " + code + "; expected 1 or 2");
    }
  }

  /**
   * A request to a peer to evaluate the key shares of {@code sets} on {@code element} (the
   * compressed blinded element) for the attempt or registration committed at {@code index}
   * (DESIGN §10); answered with {@link PeerAnswer} bytes.
   */
  record Partial(UserId userId, Purpose purpose, long index, byte[] element, List<String> sets)
      implements Query {
    static final int TAG = 0x13;

    public Partial {
      if (userId == null || purpose == null || element == null || sets == null) {
        throw new IllegalArgumentException("partial request fields must not be null");
      }
      if (index < 0 || element.length != 33 || sets.isEmpty() || sets.size() > 126) {
        throw new IllegalArgumentException("partial request: index " + index + ", element "
            + element.length + " bytes, " + sets.size() + " sets; expected index >= 0, 33 "
            + "bytes, 1..126 sets");
      }
      element = element.clone();
      sets = List.copyOf(sets);
    }

    @Override
    public byte[] element() {
      return element.clone();
    }

    @Override
    public byte[] toBytes() {
      WireWriter w = new WireWriter().u8(VERSION).u8(TAG).bytes(userId.bytes()).u8(purpose.code)
          .u64(index).bytes(element).u32(sets.size());
      sets.forEach(set -> w.bytes(set.getBytes(StandardCharsets.UTF_8)));
      return w.toBytes();
    }
  }

  /** A request to a peer to generate a fresh key share of {@code set} for a new record. */
  record Generate(UserId userId, String set) implements Query {
    static final int TAG = 0x14;

    public Generate {
      if (userId == null || set == null || set.isEmpty() || set.length() > 600) {
        throw new IllegalArgumentException("generate request needs a user id and a set name");
      }
    }

    @Override
    public byte[] toBytes() {
      return new WireWriter().u8(VERSION).u8(TAG).bytes(userId.bytes())
          .bytes(set.getBytes(StandardCharsets.UTF_8)).toBytes();
    }
  }

  public static Query parse(byte[] data) throws MalformedMessageException {
    WireReader r = new WireReader("query", data);
    r.version(VERSION);
    int tag = r.u8("tag");
    Query q = switch (tag) {
      case Get.TAG -> new Get(new UserId(r.bytes("user id", 1, UserId.MAX_LENGTH)));
      case Status.TAG -> new Status();
      case Partial.TAG -> partial(r);
      case Generate.TAG -> new Generate(new UserId(r.bytes("user id", 1, UserId.MAX_LENGTH)),
          new String(r.bytes("share set", 1, 600), StandardCharsets.UTF_8));
      default -> throw new MalformedMessageException("query tag is 0x"
          + Integer.toHexString(tag) + "; expected 0x11..0x14");
    };
    r.end();
    return q;
  }

  private static Partial partial(WireReader r) throws MalformedMessageException {
    UserId user = new UserId(r.bytes("user id", 1, UserId.MAX_LENGTH));
    Purpose purpose = Purpose.of(r.u8("purpose"));
    long index = r.nonNegative("index");
    byte[] element = r.bytes("element", 33, 33);
    int n = r.u32("set count", 1, 126);
    List<String> sets = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      sets.add(new String(r.bytes("share set", 1, 600), StandardCharsets.UTF_8));
    }
    return new Partial(user, purpose, index, element, sets);
  }
}
