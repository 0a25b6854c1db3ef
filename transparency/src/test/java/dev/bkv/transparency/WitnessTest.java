package dev.bkv.transparency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WitnessTest {

  @TempDir Path tmp;
  private final TileLogTestSupport t;
  private final VerifierKey logKey;
  private final Clock clock = Clock.fixed(Instant.ofEpochSecond(1_800_000_000L), ZoneOffset.UTC);
  private Path log;
  private Path state;
  private Witness witness;

  WitnessTest() throws Exception {
    t = new TileLogTestSupport();
    logKey = t.signer.verifierKey();
  }

  @BeforeEach
  void setUp() throws Exception {
    log = tmp.resolve("log");
    state = tmp.resolve("witness");
    witness = Witness.init(state, "witness.bkv.test/w1", new SecureRandom(), clock);
  }

  private void append(Path dir, String tag, long from, int count) throws Exception {
    try (TileLogWriter w = t.open(dir)) {
      w.append(TileLogTestSupport.entries(tag, from, count));
    }
  }

  private Path stateFile() throws IOException {
    try (Stream<Path> s = Files.list(state.resolve(Witness.CHECKPOINTS))) {
      return s.findFirst().orElseThrow();
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  @Test
  void cosignsAGrowingLogAndRecordsEachCheckpoint() throws Exception {
    append(log, "a", 0, 5);
    Witness.Cosigned first = witness.cosign(log, logKey);
    assertNull(first.previous());
    assertEquals(5, first.checkpoint().size());
    WitnessPolicy policy = WitnessPolicy.of(List.of(witness.verifierKey()), 1);
    assertTrue(policy.count(first.note().toBytes()).satisfied());
    assertEquals(5, witness.lastCosigned(TileLogTestSupport.ORIGIN).size());

    append(log, "a", 5, 300);
    Witness.Cosigned second = witness.cosign(log, logKey);
    assertEquals(5, second.previous().size());
    assertEquals(305, second.checkpoint().size());
    assertEquals(305, witness.lastCosigned(TileLogTestSupport.ORIGIN).size());
    // same checkpoint again: fine
    assertEquals(305, witness.cosign(log, logKey).checkpoint().size());

    assertEquals("rw-------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(state.resolve(Witness.KEY_FILE))));
    assertEquals(witness.verifierKey(), VerifierKey.parse(
        Files.readString(state.resolve(Witness.VKEY_FILE)).strip()));
    assertEquals(witness.verifierKey(), Witness.open(state, clock).verifierKey());
  }

  @Test
  void refusesARollbackAndKeepsItsState() throws Exception {
    append(log, "a", 0, 5);
    copyTree(log, tmp.resolve("old"));
    witness.cosign(log, logKey);
    append(log, "a", 5, 7);
    Checkpoint twelve = witness.cosign(log, logKey).checkpoint();
    byte[] before = Files.readAllBytes(stateFile());

    Files.delete(tmp.resolve("old/.lock"));
    VerificationFailedException e = assertThrows(VerificationFailedException.class,
        () -> witness.cosign(tmp.resolve("old"), logKey));
    assertEquals(VerificationFailedException.Reason.INCONSISTENT_TREE, e.reason());
    assertTrue(e.getMessage().contains("size 5") && e.getMessage().contains("size 12")
        && e.getMessage().contains(twelve.root().toString())
        && e.getMessage().contains("rollback"), e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(stateFile()));
  }

  @Test
  void refusesAForkAtTheSameSizeAndAtALargerSize() throws Exception {
    append(log, "a", 0, 9);
    Checkpoint honest = witness.cosign(log, logKey).checkpoint();
    byte[] before = Files.readAllBytes(stateFile());

    Path fork = tmp.resolve("fork");
    append(fork, "b", 0, 9);
    VerificationFailedException same = assertThrows(VerificationFailedException.class,
        () -> witness.cosign(fork, logKey));
    assertEquals(VerificationFailedException.Reason.INCONSISTENT_TREE, same.reason());
    assertTrue(same.getMessage().contains("fork") && same.getMessage().contains("size 9")
        && same.getMessage().contains(honest.root().toString()), same.getMessage());

    append(fork, "b", 9, 300);
    VerificationFailedException larger = assertThrows(VerificationFailedException.class,
        () -> witness.cosign(fork, logKey));
    assertEquals(VerificationFailedException.Reason.INCONSISTENT_TREE, larger.reason());
    assertTrue(larger.getMessage().contains("size 309")
        && larger.getMessage().contains("size 9"), larger.getMessage());
    assertArrayEquals(before, Files.readAllBytes(stateFile()));
    // the honest log still extends what was cosigned
    append(log, "a", 9, 1);
    assertEquals(10, witness.cosign(log, logKey).checkpoint().size());
  }

  @Test
  void refusesTamperedTilesAndKeepsItsState() throws Exception {
    append(log, "a", 0, 20);
    witness.cosign(log, logKey);
    append(log, "a", 20, 280);
    byte[] before = Files.readAllBytes(stateFile());

    // a level-0 hash under the first full tile: the new root comes from level 1 and still
    // matches, but the consistency proof from size 20 goes through the altered hash
    Path tile = log.resolve("tile/0/000");
    byte[] b = Files.readAllBytes(tile);
    b[32 * 3] ^= 1;
    Files.write(tile, b);
    VerificationFailedException e = assertThrows(VerificationFailedException.class,
        () -> witness.cosign(log, logKey));
    assertTrue(e.getMessage().contains("size 20"), e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(stateFile()));
    assertEquals(20, witness.lastCosigned(TileLogTestSupport.ORIGIN).size());

    // a tampered hash under the checkpoint's root is caught before any proof
    b[32 * 3] ^= 1;
    Files.write(tile, b);
    Path level1 = log.resolve("tile/1/000.p/1");
    byte[] l1 = Files.readAllBytes(level1);
    l1[0] ^= 1;
    Files.write(level1, l1);
    assertThrows(VerificationFailedException.class, () -> witness.cosign(log, logKey));
    assertArrayEquals(before, Files.readAllBytes(stateFile()));
  }

  @Test
  void refusesACheckpointNotSignedByTheLogAndAWitnessKeyAsTheLogKey() throws Exception {
    append(log, "a", 0, 3);
    VerifierKey other = Ed25519NoteSigner.fromSeed(TileLogTestSupport.ORIGIN, new byte[] {
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        1, 1, 1}).verifierKey();
    assertThrows(VerificationFailedException.class, () -> witness.cosign(log, other));
    VerificationFailedException e = assertThrows(VerificationFailedException.class,
        () -> witness.cosign(log, witness.verifierKey()));
    assertEquals(VerificationFailedException.Reason.WRONG_KEY_ROLE, e.reason());
    assertNull(witness.lastCosigned(TileLogTestSupport.ORIGIN));
  }

  @Test
  void cosignaturesGoOnTheLogsCheckpointAndReadersIgnoreThem() throws Exception {
    append(log, "a", 0, 4);
    Witness second = Witness.init(tmp.resolve("w2"), "witness.bkv.test/w2", new SecureRandom(),
        clock);
    LogCosignatures.add(log, witness.cosign(log, logKey).note());
    LogCosignatures.add(log, second.cosign(log, logKey).note());
    LogCosignatures.add(log, witness.cosign(log, logKey).note()); // replaced, not repeated
    byte[] published = Files.readAllBytes(log.resolve("checkpoint"));
    assertEquals(3, Note.parse(published, NoteLimits.DEFAULT).signatures().size());
    WitnessPolicy both = WitnessPolicy.of(List.of(witness.verifierKey(), second.verifierKey()), 2);
    assertEquals(2, both.require(published).valid().size());

    // the log's own reader and writer tolerate the extra lines
    assertEquals(4, t.read(log).size());
    assertArrayEquals(published, t.read(log).signedCheckpoint());
    append(log, "a", 4, 1);
    byte[] next = Files.readAllBytes(log.resolve("checkpoint"));
    assertEquals(1, Note.parse(next, NoteLimits.DEFAULT).signatures().size());

    // a cosignature of the old checkpoint is not put on the new one
    Note stale = Note.parse(published, NoteLimits.DEFAULT);
    TransparencyFaultException f = assertThrows(TransparencyFaultException.class,
        () -> LogCosignatures.add(log, stale));
    assertTrue(f.getMessage().contains("changed since it was cosigned"), f.getMessage());
    assertArrayEquals(next, Files.readAllBytes(log.resolve("checkpoint")));
  }

  @Test
  void aRelativeStateDirectoryWorks() throws Exception {
    Path relative = Path.of("witness-test-" + System.nanoTime());
    try {
      append(log, "a", 0, 2);
      Witness w = Witness.init(relative, "witness.bkv.test/rel", new SecureRandom(), clock);
      assertEquals(2, w.cosign(log, logKey).checkpoint().size());
      assertEquals(2, Witness.open(relative, clock).lastCosigned(TileLogTestSupport.ORIGIN)
          .size());
    } finally {
      if (Files.exists(relative)) {
        try (Stream<Path> s = Files.walk(relative)) {
          for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
    }
  }

  @Test
  void initRefusesAnExistingWitness() {
    assertThrows(TransparencyFaultException.class,
        () -> Witness.init(state, "witness.bkv.test/w1", new SecureRandom(), clock));
    assertNotNull(witness.verifierKey());
  }
}
