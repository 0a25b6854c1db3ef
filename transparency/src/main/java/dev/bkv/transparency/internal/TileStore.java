package dev.bkv.transparency.internal;

import dev.bkv.transparency.MalformedInputException;
import dev.bkv.transparency.TransparencyFaultException;
import dev.bkv.transparency.Rfc6962;
import dev.bkv.transparency.Sha256Hash;
import dev.bkv.transparency.TransparencyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the tiles and entry bundles of a tiled log directory as they stand for one tree size,
 * and serves perfect subtree hashes from them. Any perfect subtree inside the tree is either in a
 * full tile or in the partial tile for that size, so one size is enough for every older one.
 */
public final class TileStore implements SubtreeHashes {

  private final Path dir;
  private final long size;
  private final Map<TilePath, List<Sha256Hash>> cache = new HashMap<>();
  private final Map<TilePath, Sha256Hash[][]> nodes = new HashMap<>();

  public TileStore(Path dir, long size) {
    this.dir = dir;
    this.size = size;
  }

  public long size() {
    return size;
  }

  /** The tile at {@code level} holding hash number {@code hashIndex} of that level. */
  public List<Sha256Hash> tileFor(int level, long hashIndex) throws TransparencyException {
    TilePath p = pathFor(level, hashIndex >>> 8);
    List<Sha256Hash> tile = cache.get(p);
    if (tile == null) {
      tile = Tiles.decodeTile(read(p), p.width(), p.path());
      cache.put(p, tile);
    }
    return tile;
  }

  /** The entry bundle holding entry {@code index}. */
  public List<byte[]> bundleFor(long index) throws TransparencyException {
    TilePath p = pathFor(TilePath.ENTRIES, index >>> 8);
    return Tiles.decodeBundle(read(p), p.width(), p.path());
  }

  /** Full or partial path of tile {@code tileIndex} at {@code level} (ENTRIES = level 0 data). */
  public TilePath pathFor(int level, long tileIndex) throws MalformedInputException {
    int hashLevel = Math.max(level, 0);
    long full = Tiles.fullTiles(hashLevel, size);
    int partial = Tiles.partialWidth(hashLevel, size);
    if (tileIndex < full) {
      return new TilePath(level, tileIndex, TilePath.FULL);
    }
    if (tileIndex == full && partial > 0) {
      return new TilePath(level, tileIndex, partial);
    }
    throw new MalformedInputException(MalformedInputException.Problem.BAD_TREE_ARGUMENT, "tile " + tileIndex
        + " at level " + level + " is beyond a tree of size " + size);
  }

  @Override
  public Sha256Hash subtree(int height, long index) throws TransparencyException {
    int level = height / 8;
    int within = height % 8;
    long first = index << within;
    TilePath p = pathFor(level, first >>> 8);
    Sha256Hash[][] inner = nodes.get(p);
    if (inner == null) {
      inner = innerNodes(tileFor(level, first));
      nodes.put(p, inner);
    }
    int at = (int) (first & 0xff) >>> within;
    if (at >= inner[within].length) {
      throw new MalformedInputException(MalformedInputException.Problem.BAD_TREE_ARGUMENT, "subtree of height "
          + height + " at index " + index + " is not complete in a tree of size " + size);
    }
    return inner[within][at];
  }

  /** Every complete node inside a tile: row k holds the roots of aligned groups of 2^k hashes. */
  private static Sha256Hash[][] innerNodes(List<Sha256Hash> tile) {
    Sha256Hash[][] rows = new Sha256Hash[8][];
    rows[0] = tile.toArray(new Sha256Hash[0]);
    for (int k = 1; k < 8; k++) {
      Sha256Hash[] below = rows[k - 1];
      rows[k] = new Sha256Hash[below.length / 2];
      for (int i = 0; i < rows[k].length; i++) {
        rows[k][i] = Rfc6962.nodeHash(below[2 * i], below[2 * i + 1]);
      }
    }
    return rows;
  }

  public byte[] read(TilePath p) throws TransparencyFaultException {
    Path file = dir.resolve(p.path());
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new TransparencyFaultException("log file " + file + " is missing; the checkpoint of size "
          + size + " needs it", e);
    } catch (IOException e) {
      throw new TransparencyFaultException("cannot read log file " + file + ": " + e.getMessage(), e);
    }
  }
}
