package dev.bkv.transparency.internal;

/**
 * A C2SP tlog-tiles resource: {@code tile/<L>/<N>[.p/<W>]} for Merkle tiles and
 * {@code tile/entries/<N>[.p/<W>]} for entry bundles. {@code <N>} is written in zero-padded
 * 3-digit path elements, all but the last prefixed with {@code x} (1234067 is
 * {@code x001/x234/067}).
 *
 * @param level the tile level 0..63, or {@link #ENTRIES} for an entry bundle
 * @param index the tile index N
 * @param width 256 for a full tile, 1..255 for a partial one
 */
public record TilePath(int level, long index, int width) {

  public static final int ENTRIES = -1;
  public static final int FULL = 256;

  public TilePath {
    if (level < ENTRIES || level > 63 || index < 0 || width < 1 || width > FULL) {
      throw new IllegalArgumentException(
          "no tile at level " + level + ", index " + index + ", width " + width);
    }
  }

  public boolean isFull() {
    return width == FULL;
  }

  /** The path relative to the log prefix, with '/' separators. */
  public String path() {
    StringBuilder b = new StringBuilder("tile/")
        .append(level == ENTRIES ? "entries" : Integer.toString(level)).append('/')
        .append(encodeIndex(index));
    if (!isFull()) {
      b.append(".p/").append(width);
    }
    return b.toString();
  }

  /** Encodes N as x-prefixed 3-digit groups. */
  public static String encodeIndex(long n) {
    String last = String.format("%03d", n % 1000);
    StringBuilder prefix = new StringBuilder();
    for (long rest = n / 1000; rest > 0; rest /= 1000) {
      prefix.insert(0, String.format("x%03d/", rest % 1000));
    }
    return prefix + last;
  }

  /** Parses a relative path written by {@link #path()}, or returns null for anything else. */
  public static TilePath parse(String path) {
    if (!path.startsWith("tile/")) {
      return null;
    }
    String[] parts = path.substring(5).split("/", -1);
    if (parts.length < 2) {
      return null;
    }
    int level;
    if (parts[0].equals("entries")) {
      level = ENTRIES;
    } else if (parts[0].matches("0|[1-9][0-9]?") && Integer.parseInt(parts[0]) <= 63) {
      level = Integer.parseInt(parts[0]);
    } else {
      return null;
    }
    int width = FULL;
    int end = parts.length;
    if (parts.length >= 3 && parts[end - 2].endsWith(".p")) {
      if (!parts[end - 1].matches("[1-9][0-9]{0,2}") || Integer.parseInt(parts[end - 1]) > 255) {
        return null;
      }
      width = Integer.parseInt(parts[end - 1]);
      parts[end - 2] = parts[end - 2].substring(0, parts[end - 2].length() - 2);
      end--;
    }
    long index = 0;
    for (int i = 1; i < end; i++) {
      boolean last = i == end - 1;
      String group = parts[i];
      if (!(last ? group.matches("[0-9]{3}") : group.matches("x[0-9]{3}"))) {
        return null;
      }
      if (index > (Long.MAX_VALUE - 999) / 1000) {
        return null;
      }
      index = index * 1000 + Integer.parseInt(last ? group : group.substring(1));
    }
    TilePath t = new TilePath(level, index, width);
    return t.path().equals(path) ? t : null;
  }
}
