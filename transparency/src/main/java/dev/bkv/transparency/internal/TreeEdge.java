package dev.bkv.transparency.internal;

import dev.bkv.transparency.TransparencyFaultException;
import dev.bkv.transparency.Rfc6962;
import dev.bkv.transparency.Sha256Hash;
import dev.bkv.transparency.TransparencyException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The right edge of a tiled tree: the partial tile at each level and the partial entry bundle.
 * That is all an appender needs: new hashes only ever land in these tiles, and the root of the
 * tree is the combination of the perfect subtrees they contain.
 */
public final class TreeEdge {

  private long size;
  private final List<List<Sha256Hash>> levels = new ArrayList<>();
  private final List<byte[]> entries = new ArrayList<>();

  private TreeEdge(long size) {
    this.size = size;
  }

  public static TreeEdge empty() {
    return new TreeEdge(0);
  }

  /** Loads the right edge for the tree size of {@code store}; entries must match leaf hashes. */
  public static TreeEdge load(TileStore store) throws TransparencyException {
    long size = store.size();
    TreeEdge edge = new TreeEdge(size);
    for (int level = 0; Tiles.hashesAt(level, size) > 0; level++) {
      long start = Tiles.fullTiles(level, size) << 8;
      edge.levels.add(Tiles.partialWidth(level, size) == 0 ? new ArrayList<>()
          : new ArrayList<>(store.tileFor(level, start)));
    }
    if (Tiles.partialWidth(0, size) > 0) {
      edge.entries.addAll(store.bundleFor(Tiles.fullTiles(0, size) << 8));
      for (int i = 0; i < edge.entries.size(); i++) {
        if (!Rfc6962.leafHash(edge.entries.get(i)).equals(edge.levels.get(0).get(i))) {
          throw new TransparencyFaultException("entry "
              + ((Tiles.fullTiles(0, size) << 8) + i) + " does not hash to its level-0 tile hash");
        }
      }
    }
    return edge;
  }

  public TreeEdge copy() {
    TreeEdge c = new TreeEdge(size);
    levels.forEach(l -> c.levels.add(new ArrayList<>(l)));
    c.entries.addAll(entries);
    return c;
  }

  public long size() {
    return size;
  }

  /** Appends entries; returns every tile and bundle to write, full ones first, then partials. */
  public Map<TilePath, byte[]> append(List<byte[]> newEntries) {
    Map<TilePath, byte[]> out = new LinkedHashMap<>();
    TreeSet<Integer> dirty = new TreeSet<>();
    for (byte[] e : newEntries) {
      size++;
      entries.add(e.clone());
      if (entries.size() == TilePath.FULL) {
        out.put(new TilePath(TilePath.ENTRIES, (size >>> 8) - 1, TilePath.FULL),
            Tiles.encodeBundle(entries));
        entries.clear();
      }
      Sha256Hash carry = Rfc6962.leafHash(e);
      for (int level = 0; carry != null; level++) {
        if (levels.size() == level) {
          levels.add(new ArrayList<>());
        }
        List<Sha256Hash> tile = levels.get(level);
        tile.add(carry);
        dirty.add(level);
        carry = null;
        if (tile.size() == TilePath.FULL) {
          out.put(new TilePath(level, Tiles.fullTiles(level, size) - 1, TilePath.FULL),
              Tiles.encodeTile(tile));
          carry = Tiles.perfectRoot(tile, 0, TilePath.FULL);
          tile.clear();
        }
      }
    }
    if (!entries.isEmpty() && !newEntries.isEmpty()) {
      out.put(new TilePath(TilePath.ENTRIES, size >>> 8, entries.size()),
          Tiles.encodeBundle(entries));
    }
    for (int level : dirty) {
      List<Sha256Hash> tile = levels.get(level);
      if (!tile.isEmpty()) {
        out.put(new TilePath(level, Tiles.fullTiles(level, size), tile.size()),
            Tiles.encodeTile(tile));
      }
    }
    return out;
  }

  /** RFC 6962 root: perfect subtrees left to right (highest level first), folded from the right. */
  public Sha256Hash root() {
    if (size == 0) {
      return Rfc6962.emptyRoot();
    }
    List<Sha256Hash> subtrees = new ArrayList<>();
    for (int level = levels.size() - 1; level >= 0; level--) {
      List<Sha256Hash> tile = levels.get(level);
      int from = 0;
      for (int bit = 7; bit >= 0; bit--) {
        if ((tile.size() & (1 << bit)) != 0) {
          subtrees.add(Tiles.perfectRoot(tile, from, 1 << bit));
          from += 1 << bit;
        }
      }
    }
    Sha256Hash acc = subtrees.get(subtrees.size() - 1);
    for (int i = subtrees.size() - 2; i >= 0; i--) {
      acc = Rfc6962.nodeHash(subtrees.get(i), acc);
    }
    return acc;
  }

  @Override
  public String toString() {
    return "TreeEdge[size=" + size + ", widths=" + Arrays.toString(
        levels.stream().mapToInt(List::size).toArray()) + "]";
  }
}
