package dev.bkv.transparency.internal;

import dev.bkv.transparency.MalformedInputException;
import dev.bkv.transparency.Rfc6962;
import dev.bkv.transparency.Sha256Hash;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Byte formats of tiles and entry bundles, and hashing inside one tile. */
public final class Tiles {

  /** Largest entry an entry bundle can hold (big-endian uint16 length prefix). */
  public static final int MAX_ENTRY = 0xffff;

  private Tiles() {}

  /** Number of complete hashes at {@code level} in a tree of {@code size} leaves. */
  public static long hashesAt(int level, long size) {
    return level >= 8 ? 0 : size >>> (8 * level);
  }

  /** Width of the partial tile at {@code level} (0 when there is none). */
  public static int partialWidth(int level, long size) {
    return (int) (hashesAt(level, size) & 0xff);
  }

  /** Number of full tiles at {@code level}. */
  public static long fullTiles(int level, long size) {
    return hashesAt(level, size) >>> 8;
  }

  /** The root of the perfect tree over {@code count} (a power of two) hashes from {@code from}. */
  public static Sha256Hash perfectRoot(List<Sha256Hash> hashes, int from, int count) {
    if (count == 1) {
      return hashes.get(from);
    }
    int half = count / 2;
    return Rfc6962.nodeHash(perfectRoot(hashes, from, half), perfectRoot(hashes, from + half, half));
  }

  public static byte[] encodeTile(List<Sha256Hash> hashes) {
    ByteBuffer b = ByteBuffer.allocate(hashes.size() * Sha256Hash.LENGTH);
    hashes.forEach(h -> b.put(h.bytes()));
    return b.array();
  }

  /** Decodes a tile that must hold exactly {@code width} hashes. */
  public static List<Sha256Hash> decodeTile(byte[] bytes, int width, String path)
      throws MalformedInputException {
    if (bytes.length != width * Sha256Hash.LENGTH) {
      throw new MalformedInputException(MalformedInputException.Problem.BAD_HASH, "tile " + path + " is "
          + bytes.length + " bytes; expected " + width * Sha256Hash.LENGTH);
    }
    List<Sha256Hash> out = new ArrayList<>(width);
    for (int i = 0; i < width; i++) {
      byte[] h = new byte[Sha256Hash.LENGTH];
      System.arraycopy(bytes, i * Sha256Hash.LENGTH, h, 0, Sha256Hash.LENGTH);
      out.add(new Sha256Hash(h));
    }
    return out;
  }

  public static byte[] encodeBundle(List<byte[]> entries) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] e : entries) {
      out.write(e.length >>> 8);
      out.write(e.length & 0xff);
      out.writeBytes(e);
    }
    return out.toByteArray();
  }

  /** Decodes an entry bundle that must hold exactly {@code width} entries and nothing more. */
  public static List<byte[]> decodeBundle(byte[] bytes, int width, String path)
      throws MalformedInputException {
    List<byte[]> out = new ArrayList<>(width);
    ByteBuffer b = ByteBuffer.wrap(bytes);
    while (b.remaining() >= 2 && out.size() < width) {
      int len = b.getShort() & 0xffff;
      if (b.remaining() < len) {
        break;
      }
      byte[] e = new byte[len];
      b.get(e);
      out.add(e);
    }
    if (out.size() != width || b.hasRemaining()) {
      throw new MalformedInputException(MalformedInputException.Problem.BAD_ENTRY, "entry bundle " + path
          + " does not hold exactly " + width + " length-prefixed entries");
    }
    return out;
  }
}
