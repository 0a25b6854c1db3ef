package dev.bkv.transparency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.transparency.TileLogWriter.Step;
import dev.bkv.transparency.internal.TilePath;
import dev.bkv.transparency.internal.Tiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Simulates a crash at every step of an append (after each tile file, after all tiles, with the
 * checkpoint staged, after it is published), then reopens the log and checks it is consistent,
 * covers exactly what the published checkpoint says, and keeps accepting appends.
 */
class TileLogCrashTest {

  @TempDir
  Path root;

  final TileLogTestSupport t;

  TileLogCrashTest() throws MalformedInputException {
    t = new TileLogTestSupport();
  }

  /** A crash point: the n-th time (1-based) the append reaches {@code step}. */
  record CrashPoint(Step step, int occurrence) {}

  static final class SimulatedCrash extends IOException {
    private static final long serialVersionUID = 1L;

    SimulatedCrash(CrashPoint p) {
      super("simulated crash at " + p);
    }
  }

  @ParameterizedTest(name = "{0} entries, then a crashing append of {1}")
  @CsvSource({"0,1", "0,2", "3,1", "255,1", "255,2", "256,1", "250,300", "511,258"})
  void everyCrashPointRecovers(long initial, int batch) throws Exception {
    List<CrashPoint> points = crashPoints(initial, batch);
    int files = (int) points.stream().filter(p -> p.step() == Step.FILE_WRITTEN).count();
    assertTrue(files >= 2, "an append writes at least a tile and a bundle, saw " + files);
    for (CrashPoint p : points) {
      crashAndRecover(root.resolve(p.step() + "-" + p.occurrence()), initial, batch, p);
    }
  }

  private List<CrashPoint> crashPoints(long initial, int batch) throws Exception {
    Path dir = root.resolve("dry-run");
    seed(dir, initial);
    List<CrashPoint> points = new ArrayList<>();
    int[] counts = new int[Step.values().length];
    try (TileLogWriter w = TileLogWriter.open(dir, TileLogTestSupport.ORIGIN, t.signer,
        t.verifier, (step, detail) -> points.add(new CrashPoint(step, ++counts[step.ordinal()])))) {
      w.append(TileLogTestSupport.entries("new", initial, batch));
    }
    return points;
  }

  private void crashAndRecover(Path dir, long initial, int batch, CrashPoint point)
      throws Exception {
    MerkleTree memory = seed(dir, initial);
    int[] seen = new int[Step.values().length];
    TileLogWriter crashing = TileLogWriter.open(dir, TileLogTestSupport.ORIGIN, t.signer,
        t.verifier, (step, detail) -> {
          if (step == point.step() && ++seen[step.ordinal()] == point.occurrence()) {
            throw new SimulatedCrash(point);
          }
        });
    List<byte[]> lost = TileLogTestSupport.entries("new", initial, batch);
    TransparencyFaultException crash = assertThrows(TransparencyFaultException.class,
        () -> crashing.append(lost), point.toString());
    assertTrue(crash.getCause() instanceof SimulatedCrash, point.toString());
    assertThrows(TransparencyFaultException.class, () -> crashing.append(lost));
    crashing.close(); // the process died: its lock is gone

    boolean published = point.step() == Step.CHECKPOINT_PUBLISHED;
    if (published) {
      lost.forEach(memory::append);
    }
    if (point.step() == Step.CHECKPOINT_STAGED) {
      assertTrue(Files.exists(dir.resolve("checkpoint.tmp")), point.toString());
    }
    try (TileLogWriter w = t.open(dir)) {
      assertEquals(memory.size(), w.checkpoint().size(), point.toString());
      assertEquals(memory.root(), w.checkpoint().root(), point.toString());
      assertNothingBeyondCheckpoint(dir, memory.size());
      long before = memory.size();
      Sha256Hash beforeRoot = memory.root();
      List<byte[]> retry = TileLogTestSupport.entries("retry", before, batch + 1);
      retry.forEach(memory::append);
      assertEquals(memory.root(), w.append(retry).root(), point.toString());
      TileLogReader r = t.read(dir);
      r.audit();
      if (before > 0) {
        r.consistencyProof(before, r.size()).verify(beforeRoot, r.checkpoint().root());
      }
      r.inclusionProof(r.size() - 1, r.size()).verify(memory.leafHash(r.size() - 1),
          memory.root());
    }
  }

  private MerkleTree seed(Path dir, long initial) throws Exception {
    MerkleTree memory = new MerkleTree();
    try (TileLogWriter w = t.open(dir)) {
      if (initial > 0) {
        List<byte[]> entries = TileLogTestSupport.entries("old", 0, (int) initial);
        entries.forEach(memory::append);
        w.append(entries);
      }
    }
    return memory;
  }

  /** No temp file, and no tile or bundle that the checkpoint of {@code size} does not cover. */
  static void assertNothingBeyondCheckpoint(Path dir, long size) throws IOException {
    List<String> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).toList();
    }
    for (String f : files) {
      assertFalse(f.endsWith(".tmp"), f);
      TilePath tile = TilePath.parse(f);
      if (tile != null) {
        long end = (tile.index() << 8) + tile.width();
        assertTrue(end <= Tiles.hashesAt(Math.max(tile.level(), 0), size),
            f + " lies beyond tree size " + size);
      }
    }
  }

  @Test
  void tornFilesBeyondTheCheckpointAreDiscarded() throws Exception {
    Path dir = root.resolve("torn");
    MerkleTree memory = seed(dir, 10);
    Files.write(dir.resolve("tile/0/000.p/12"), new byte[100]);
    Files.write(dir.resolve("tile/entries/000.p/12"), new byte[] {0, 9, 1});
    Files.write(dir.resolve("tile/0/000.p/10.tmp"), new byte[7]);
    Files.writeString(dir.resolve("checkpoint.tmp"), "half a checkp");
    try (TileLogWriter w = t.open(dir)) {
      assertEquals(10, w.checkpoint().size());
      assertNothingBeyondCheckpoint(dir, 10);
      assertTrue(Files.exists(dir.resolve("tile/0/000.p/10")));
      List<byte[]> more = TileLogTestSupport.entries("more", 10, 2);
      more.forEach(memory::append);
      assertEquals(memory.root(), w.append(more).root());
    }
    t.read(dir).audit();
  }

  @Test
  void partialTilesOfEarlierCheckpointsAreKept() throws Exception {
    Path dir = root.resolve("history");
    try (TileLogWriter w = t.open(dir)) {
      w.append(TileLogTestSupport.entries("h", 0, 3));
      w.append(TileLogTestSupport.entries("h", 3, 4));
    }
    try (TileLogWriter w = t.open(dir)) {
      assertEquals(7, w.checkpoint().size());
    }
    assertTrue(Files.exists(dir.resolve("tile/0/000.p/3")));
    assertTrue(Files.exists(dir.resolve("tile/0/000.p/7")));
  }
}
