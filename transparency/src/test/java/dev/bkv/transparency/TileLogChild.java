package dev.bkv.transparency;

import java.nio.file.Path;
import java.util.List;

/**
 * Child process for {@link TileLogKillTest}: appends deterministic entries to the log in
 * {@code args[0]} forever, printing the tree size after each published checkpoint, until killed.
 */
public final class TileLogChild {

  private TileLogChild() {}

  public static void main(String[] args) throws Exception {
    TileLogTestSupport t = new TileLogTestSupport();
    try (TileLogWriter w = t.open(Path.of(args[0]))) {
      long size = w.checkpoint().size();
      System.out.println("open " + size);
      System.out.flush();
      for (int round = 0; ; round++) {
        int batch = 1 + (int) ((size * 7 + round) % 37);
        List<byte[]> entries = TileLogTestSupport.entries("kill", size, batch);
        size = w.append(entries).size();
        System.out.println("size " + size);
        System.out.flush();
      }
    }
  }
}
