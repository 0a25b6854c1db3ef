package dev.bkv.transparency.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TilePathTest {

  @ParameterizedTest
  @CsvSource({"0,000", "5,005", "999,999", "1000,x001/000", "1234067,x001/x234/067",
      "1000000,x001/x000/000"})
  void indexEncodingFollowsTheSpec(long n, String encoded) {
    assertEquals(encoded, TilePath.encodeIndex(n));
  }

  @ParameterizedTest
  @CsvSource({"0,0,256,tile/0/000", "0,0,5,tile/0/000.p/5", "1,1234067,256,tile/1/x001/x234/067",
      "-1,1000,17,tile/entries/x001/000.p/17", "63,0,1,tile/63/000.p/1"})
  void pathsRoundTrip(int level, long index, int width, String path) {
    TilePath t = new TilePath(level, index, width);
    assertEquals(path, t.path());
    assertEquals(t, TilePath.parse(path));
  }

  @ParameterizedTest
  @ValueSource(strings = {"tile/0/0", "tile/00/000", "tile/64/000", "tile/0/x000", "tile/0/000.p/0",
      "tile/0/000.p/256", "tile/0/000.p/05", "tile/0/1000", "tile/0/x000/000", "tile/0/001/000",
      "tile/entries/000.p/", "tiles/0/000", "tile/0/000.tmp", "tile/0/000.p/5.tmp", "tile/x/000"})
  void nonCanonicalPathsAreNotTiles(String path) {
    assertNull(TilePath.parse(path));
  }

  /** The tlog-tiles example: a tree of 70,000 entries. */
  @Test
  void specExampleOfSeventyThousandEntries() {
    long size = 70_000;
    assertEquals(273, Tiles.fullTiles(0, size));
    assertEquals(112, Tiles.partialWidth(0, size));
    assertEquals(1, Tiles.fullTiles(1, size));
    assertEquals(17, Tiles.partialWidth(1, size));
    assertEquals(0, Tiles.fullTiles(2, size));
    assertEquals(1, Tiles.partialWidth(2, size));
    assertEquals(0, Tiles.hashesAt(3, size));
    assertEquals(0, Tiles.fullTiles(0, 256) - 1);
    assertEquals(1, Tiles.partialWidth(1, 256));
  }
}
