package dev.bkv.transparency;

import dev.bkv.transparency.internal.TilePath;
import dev.bkv.transparency.internal.Tiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Removes what a torn append left behind: files the current checkpoint does not cover. */
final class LogRecovery {

  private LogRecovery() {}

  /**
   * Deletes temp files and every tile or bundle that lies beyond {@code size}: a full tile past
   * the last full one, or a partial tile wider than the data the checkpoint holds. Partial tiles
   * of earlier checkpoints are kept, as tlog-tiles requires.
   */
  static List<Path> removeBeyond(Path dir, long size) throws IOException {
    List<Path> removed = new ArrayList<>();
    Files.deleteIfExists(dir.resolve(TileLogWriter.CHECKPOINT + DurableFiles.TEMP_SUFFIX));
    Path tiles = dir.resolve("tile");
    if (!Files.isDirectory(tiles)) {
      return removed;
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(tiles)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    for (Path f : files) {
      String rel = dir.relativize(f).toString().replace(f.getFileSystem().getSeparator(), "/");
      TilePath t = TilePath.parse(rel);
      boolean stale = rel.endsWith(DurableFiles.TEMP_SUFFIX) || (t != null && beyond(t, size));
      if (stale) {
        Files.delete(f);
        removed.add(f);
      }
    }
    return removed;
  }

  private static boolean beyond(TilePath t, long size) {
    long have = Tiles.hashesAt(Math.max(t.level(), 0), size);
    long end = (t.index() << 8) + t.width();
    return end > have;
  }
}
