package dev.bkv.transparency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TileLogWriterTest {

  @TempDir
  Path dir;

  final TileLogTestSupport t;

  TileLogWriterTest() throws MalformedInputException {
    t = new TileLogTestSupport();
  }

  @Test
  void newLogHasASignedEmptyCheckpoint() throws Exception {
    try (TileLogWriter w = t.open(dir)) {
      assertEquals(0, w.checkpoint().size());
      assertEquals(Rfc6962.emptyRoot(), w.checkpoint().root());
    }
    String note = Files.readString(dir.resolve("checkpoint"));
    assertTrue(note.startsWith(TileLogTestSupport.ORIGIN + "\n0\n"
        + Rfc6962.emptyRoot().toBase64() + "\n\n\u2014 " + TileLogTestSupport.ORIGIN + " "), note);
    assertEquals(0, t.read(dir).size());
  }

  /** Batches that cross tile boundaries; after each, tiles, roots and proofs match memory. */
  @Test
  void appendsMatchAnInMemoryTreeAcrossTileBoundaries() throws Exception {
    MerkleTree memory = new MerkleTree();
    int[] batches = {1, 254, 1, 1, 300, 0, 43, 512};
    long total = 0;
    try (TileLogWriter w = t.open(dir)) {
      for (int b : batches) {
        List<byte[]> entries = TileLogTestSupport.entries("a", total, b);
        entries.forEach(memory::append);
        total += b;
        Checkpoint c = w.append(entries);
        assertEquals(total, c.size());
        assertEquals(memory.root(), c.root());
        TileLogReader r = t.read(dir);
        r.audit();
        assertArrayEquals(w.signedCheckpoint(), r.signedCheckpoint());
      }
    }
    TileLogReader r = t.read(dir);
    assertEquals(1112, r.size());
    for (long size : new long[] {1, 255, 256, 257, 556, 1024, 1112}) {
      assertEquals(memory.root(size), r.root(size));
      for (long i : new long[] {0, size / 2, size - 1}) {
        InclusionProof p = r.inclusionProof(i, size);
        assertEquals(memory.inclusionProof(i, size).hashes(), p.hashes());
        p.verify(Rfc6962.leafHash(r.entry(i)), memory.root(size));
      }
      ConsistencyProof c = r.consistencyProof(size, 1112);
      assertEquals(memory.consistencyProof(size, 1112).hashes(), c.hashes());
      c.verify(memory.root(size), r.checkpoint().root());
    }
    assertArrayEquals("a entry 700".getBytes(StandardCharsets.UTF_8), r.entry(700));
  }

  @Test
  void layoutFollowsTlogTiles() throws Exception {
    try (TileLogWriter w = t.open(dir)) {
      w.append(TileLogTestSupport.entries("b", 0, 256));
      w.append(TileLogTestSupport.entries("b", 256, 5));
    }
    for (String f : List.of("checkpoint", "tile/0/000", "tile/entries/000", "tile/1/000.p/1",
        "tile/0/001.p/5", "tile/entries/001.p/5")) {
      assertTrue(Files.isRegularFile(dir.resolve(f)), f);
    }
    assertEquals(256 * 32, Files.size(dir.resolve("tile/0/000")));
    assertEquals(5 * 32, Files.size(dir.resolve("tile/0/001.p/5")));
    byte[] bundle = Files.readAllBytes(dir.resolve("tile/entries/001.p/5"));
    assertEquals(0, bundle[0]);
    assertEquals("b entry 256".length(), bundle[1]);
    try (Stream<Path> s = Files.walk(dir)) {
      assertFalse(s.anyMatch(p -> p.toString().endsWith(".tmp")));
    }
  }

  /** The tlog-tiles example, on disk: a tree of 70,000 entries. */
  @Test
  void seventyThousandEntriesGiveTheTilesTheSpecLists() throws Exception {
    List<byte[]> entries = TileLogTestSupport.entries("s", 0, 70_000);
    try (TileLogWriter w = t.open(dir)) {
      w.append(entries.subList(0, 30_000));
      w.append(entries.subList(30_000, 70_000));
    }
    List<String> files;
    try (Stream<Path> s = Files.walk(dir.resolve("tile"))) {
      files = s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).toList();
    }
    long fullLevel0 = files.stream().filter(f -> f.startsWith("tile/0/") && !f.contains(".p/"))
        .count();
    assertEquals(273, fullLevel0);
    assertEquals(273, files.stream().filter(f -> f.startsWith("tile/entries/")
        && !f.contains(".p/")).count());
    assertTrue(files.contains("tile/0/273.p/112"), "level 0 partial of width 112");
    assertTrue(files.contains("tile/entries/273.p/112"));
    assertTrue(files.contains("tile/1/000"), "one full level 1 tile");
    assertTrue(files.contains("tile/1/001.p/17"), "level 1 partial of width 17");
    assertTrue(files.contains("tile/2/000.p/1"), "level 2 partial of width 1");
    TileLogReader r = t.read(dir);
    r.audit();
    MerkleTree memory = new MerkleTree();
    entries.forEach(memory::append);
    assertEquals(memory.root(), r.checkpoint().root());
    assertEquals(memory.root(30_000), r.root(30_000));
    r.consistencyProof(30_000, 70_000).verify(memory.root(30_000), memory.root());
    r.inclusionProof(65_537, 70_000).verify(memory.leafHash(65_537), memory.root());
  }

  @Test
  void reopenContinuesAndChecksOriginAndKey() throws Exception {
    try (TileLogWriter w = t.open(dir)) {
      w.append(TileLogTestSupport.entries("c", 0, 10));
    }
    try (TileLogWriter w = t.open(dir)) {
      assertEquals(10, w.checkpoint().size());
      assertEquals(11, w.append(TileLogTestSupport.entries("c", 10, 1)).size());
    }
    VerificationFailedException e = assertThrows(VerificationFailedException.class,
        () -> TileLogWriter.open(dir, "other.origin", t.signer, t.verifier));
    assertEquals(VerificationFailedException.Reason.ORIGIN_MISMATCH, e.reason());
    Ed25519NoteSigner stranger = Ed25519NoteSigner.fromSeed(TileLogTestSupport.ORIGIN,
        new byte[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
            1, 1, 1, 1, 1, 1});
    e = assertThrows(VerificationFailedException.class, () -> TileLogWriter.open(dir,
        TileLogTestSupport.ORIGIN, stranger, stranger.verifierKey().verifier()));
    assertEquals(VerificationFailedException.Reason.NO_TRUSTED_SIGNATURE, e.reason());
  }

  @Test
  void corruptedTileIsDetectedByWriterAndReader() throws Exception {
    try (TileLogWriter w = t.open(dir)) {
      w.append(TileLogTestSupport.entries("d", 0, 20));
    }
    Path tile = dir.resolve("tile/0/000.p/20");
    byte[] b = Files.readAllBytes(tile);
    b[40] ^= 1;
    Files.write(tile, b);
    assertThrows(TransparencyFaultException.class, () -> t.open(dir));
    VerificationFailedException e = assertThrows(VerificationFailedException.class,
        () -> t.read(dir));
    assertEquals(VerificationFailedException.Reason.ROOT_MISMATCH, e.reason());
  }

  @Test
  void alteredEntryIsCaughtByAudit() throws Exception {
    try (TileLogWriter w = t.open(dir)) {
      w.append(TileLogTestSupport.entries("e", 0, 3));
    }
    Path bundle = dir.resolve("tile/entries/000.p/3");
    byte[] b = Files.readAllBytes(bundle);
    b[b.length - 1] ^= 1;
    Files.write(bundle, b);
    TileLogReader r = t.read(dir);
    assertThrows(VerificationFailedException.class, r::audit);
  }

  @Test
  void oversizedEntryAndSecondWriterAreRefused() throws Exception {
    try (TileLogWriter w = t.open(dir)) {
      MalformedInputException e = assertThrows(MalformedInputException.class,
          () -> w.append(List.of(new byte[65536])));
      assertEquals(MalformedInputException.Problem.BAD_ENTRY, e.problem());
      assertEquals(1, w.append(List.of(new byte[65535])).size());
      assertThrows(TransparencyFaultException.class, () -> t.open(dir));
    }
    assertEquals(65535, t.read(dir).entry(0).length);
  }
}
