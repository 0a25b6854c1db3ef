package dev.bkv.node.store;


/**
 * Strict reader for the fields {@link WireWriter} writes. Every read names the field so that an
 * error says which value was bad; {@link #end()} rejects trailing bytes.
 */
public final class WireReader {
  private final String what;
  private final byte[] data;
  private int pos;

  public WireReader(String what, byte[] data) {
    this.what = what;
    this.data = data;
  }

  private void need(String field, long n) throws MalformedMessageException {
    if (n > data.length - pos) {
      throw new MalformedMessageException(what + " is truncated at " + field + ": needs " + n
          + " bytes at offset " + pos + " but only " + (data.length - pos) + " remain");
    }
  }

  public int u8(String field) throws MalformedMessageException {
    need(field, 1);
    return data[pos++] & 0xff;
  }

  public long u32(String field) throws MalformedMessageException {
    need(field, 4);
    long v = 0;
    for (int i = 0; i < 4; i++) {
      v = (v << 8) | (data[pos++] & 0xff);
    }
    return v;
  }

  /** A u32 that must lie in [min, max]. */
  public int u32(String field, int min, int max) throws MalformedMessageException {
    long v = u32(field);
    if (v < min || v > max) {
      throw new MalformedMessageException(what + " " + field + " is " + v + "; expected "
          + min + ".." + max);
    }
    return (int) v;
  }

  public long u64(String field) throws MalformedMessageException {
    need(field, 8);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (data[pos++] & 0xff);
    }
    return v;
  }

  /** A u64 that must not be negative as a Java long. */
  public long nonNegative(String field) throws MalformedMessageException {
    long v = u64(field);
    if (v < 0) {
      throw new MalformedMessageException(what + " " + field + " is " + Long.toUnsignedString(v)
          + "; expected at most " + Long.MAX_VALUE);
    }
    return v;
  }

  /** A length-prefixed byte string of minLen..maxLen bytes. */
  public byte[] bytes(String field, int minLen, int maxLen) throws MalformedMessageException {
    long len = u32(field + " length");
    if (len < minLen || len > maxLen) {
      throw new MalformedMessageException(what + " " + field + " is " + len + " bytes; expected "
          + minLen + ".." + maxLen);
    }
    need(field, len);
    byte[] out = new byte[(int) len];
    System.arraycopy(data, pos, out, 0, out.length);
    pos += out.length;
    return out;
  }

  /** Reads the version byte and checks it. */
  public void version(int expected) throws MalformedMessageException {
    int v = u8("version");
    if (v != expected) {
      throw new MalformedMessageException(what + " has version " + v + "; expected " + expected);
    }
  }

  /** Reads the version byte, which must lie in [first, last], and returns it. */
  public int version(int first, int last) throws MalformedMessageException {
    int v = u8("version");
    if (v < first || v > last) {
      throw new MalformedMessageException(what + " has version " + v + "; expected " + first
          + ".." + last);
    }
    return v;
  }

  public void end() throws MalformedMessageException {
    if (pos != data.length) {
      throw new MalformedMessageException(what + " has " + (data.length - pos)
          + " trailing bytes after offset " + pos);
    }
  }
}
