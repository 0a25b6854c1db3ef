package dev.bkv.node.store;

/** Shared validation and header writing for {@link Command} records. */
final class Commands {
  /** {@code beginIndex} of a registration that names no {@link Command.Begin}. */
  static final long NO_BEGIN = -1;
  static final int ELEMENT_LENGTH = 32;
  static final int DIGEST_LENGTH = 32;

  private Commands() {}

  static void checkBegin(long beginIndex) {
    if (beginIndex < NO_BEGIN) {
      throw new IllegalArgumentException("begin index is " + beginIndex + "; expected >= 0, or "
          + NO_BEGIN + " for none");
    }
  }

  static byte[] checkResetKey(byte[] resetKey, long beginIndex) {
    byte[] key = KeyState.checkResetKey(resetKey);
    if (key.length != 0 && beginIndex == NO_BEGIN) {
      throw new IllegalArgumentException("a reset key goes with key shares (a begin index)");
    }
    return key;
  }

  static byte[] checkElement(byte[] element, boolean mayBeEmpty) {
    if (element == null || !(element.length == ELEMENT_LENGTH
        || (mayBeEmpty && element.length == 0))) {
      throw new IllegalArgumentException("element digest is "
          + (element == null ? "null" : element.length + " bytes") + "; expected "
          + ELEMENT_LENGTH + (mayBeEmpty ? " or 0" : ""));
    }
    return element.clone();
  }

  static byte[] checkDigest(String what, byte[] digest) {
    if (digest == null || digest.length != DIGEST_LENGTH) {
      throw new IllegalArgumentException(what + " is " + (digest == null ? "null"
          : digest.length + " bytes") + "; expected " + DIGEST_LENGTH);
    }
    return digest.clone();
  }

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

  static void checkNew(UserId user, long time, long epoch, int limit, RecordContent content) {
    checkHead(user, time);
    checkNonNegative("epoch", epoch);
    if (limit < 1 || limit > UserRecord.MAX_LIMIT) {
      throw new IllegalArgumentException("attempt limit is " + limit + "; expected 1.."
          + UserRecord.MAX_LIMIT);
    }
    if (content == null) {
      throw new IllegalArgumentException("record content must not be null");
    }
  }
}
