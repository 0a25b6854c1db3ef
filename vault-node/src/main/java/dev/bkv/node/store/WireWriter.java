package dev.bkv.node.store;

import java.io.ByteArrayOutputStream;

/** Writes the big-endian, length-prefixed fields every bkv node message is made of. */
public final class WireWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(128);

  public WireWriter u8(int value) {
    if (value < 0 || value > 0xff) {
      throw new IllegalArgumentException("u8 out of range: " + value);
    }
    out.write(value);
    return this;
  }

  public WireWriter u32(long value) {
    if (value < 0 || value > 0xffff_ffffL) {
      throw new IllegalArgumentException("u32 out of range: " + value);
    }
    for (int shift = 24; shift >= 0; shift -= 8) {
      out.write((int) (value >>> shift) & 0xff);
    }
    return this;
  }

  public WireWriter u64(long value) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.write((int) (value >>> shift) & 0xff);
    }
    return this;
  }

  /** A u32 length followed by the bytes. */
  public WireWriter bytes(byte[] value) {
    u32(value.length);
    out.write(value, 0, value.length);
    return this;
  }

  public byte[] toBytes() {
    return out.toByteArray();
  }
}
