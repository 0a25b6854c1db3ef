package dev.bkv.node.raft;

import dev.bkv.node.store.MalformedMessageException;
import dev.bkv.node.store.UserId;
import dev.bkv.node.store.WireReader;
import dev.bkv.node.store.WireWriter;

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

  static Query parse(byte[] data) throws MalformedMessageException {
    WireReader r = new WireReader("query", data);
    r.version(VERSION);
    int tag = r.u8("tag");
    Query q = switch (tag) {
      case Get.TAG -> new Get(new UserId(r.bytes("user id", 1, UserId.MAX_LENGTH)));
      case Status.TAG -> new Status();
      default -> throw new MalformedMessageException("query tag is 0x"
          + Integer.toHexString(tag) + "; expected 0x11 or 0x12");
    };
    r.end();
    return q;
  }
}
