package dev.bkv.node.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.node.raft.ConfigException;
import dev.bkv.node.store.UserId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rotation of the evaluation log and the reader that walks the rotated files back. */
class EvaluationLogChainTest {
  private static final UserId ALICE = new UserId("alice".getBytes(StandardCharsets.UTF_8));
  private static final UserId BOB = new UserId("bob".getBytes(StandardCharsets.UTF_8));
  /** Three or four ~50-byte lines a file. */
  private static final long SMALL = 150;

  @TempDir Path dir;

  private Path log() {
    return dir.resolve("evaluations.log");
  }

  /** Alice: a success, then 7 evaluations (attempts 1..7) across rotations, then a success. */
  private static void aliceWindowAcrossRotations(EvaluationCounter c) throws Exception {
    long index = 100;
    c.countSuccess(ALICE, index++);
    for (int attempt = 1; attempt <= 7; attempt++) {
      c.countLogin(ALICE, index++, attempt, 10);
      c.countPartial(BOB, "registration", index++, 1);
    }
    c.countSuccess(ALICE, index);
  }

  @Test
  void aRotationInTheMiddleOfAWindowKeepsTheCountExact() throws Exception {
    try (EvaluationCounter c = new EvaluationCounter(log(), SMALL)) {
      aliceWindowAcrossRotations(c);
    }
    List<Path> files = EvaluationLogChain.files(log(), List.of(), null);
    assertTrue(files.size() >= 4, "rotated into " + files);
    assertEquals(log().toAbsolutePath(), files.get(files.size() - 1));
    assertEquals(dir.resolve("evaluations.log.000001").toAbsolutePath(), files.get(0));
    var h = EvaluationLogs.read(List.of(log())).get(hex(ALICE));
    assertEquals(List.of(0, 7), h.windows().stream().map(EvaluationLogs.Window::evaluations)
        .toList(), "the opening success alone, then all 7 evaluations in one window");
    assertEquals(7, h.maxWindow());
    assertEquals(16, EvaluationLogChain.lines(log()).size(), "2 successes, 7 logins, 7 partials");
    for (int i = 1; i < files.size(); i++) {
      String first = Files.readAllLines(files.get(i)).get(0);
      assertTrue(first.startsWith("previous " + files.get(i - 1).getFileName() + " sha256:"),
          first);
    }
  }

  @Test
  void eachLineIsInTheFileWhenAppendReturnsAcrossTheSwitch() throws Exception {
    try (EvaluationCounter c = new EvaluationCounter(log(), SMALL)) {
      for (int i = 1; i <= 12; i++) {
        c.countLogin(ALICE, i, i % 10 + 1, 10);
        // Not closed, not flushed by us: written to the file before the call returned.
        List<String> seen = EvaluationLogChain.lines(log()).stream()
            .map(EvaluationLogChain.Line::text).toList();
        assertEquals(i, seen.size());
        assertEquals("login " + hex(ALICE) + " " + i + " " + (i % 10 + 1) + "/10",
            seen.get(i - 1));
      }
    }
  }

  @Test
  void aMissingMiddleFileIsReported() throws Exception {
    try (EvaluationCounter c = new EvaluationCounter(log(), SMALL)) {
      aliceWindowAcrossRotations(c);
    }
    Files.delete(dir.resolve("evaluations.log.000002"));
    var e = assertThrows(EvaluationLogChain.BrokenChainException.class,
        () -> EvaluationLogs.read(List.of(log())));
    assertTrue(e.getMessage().contains("evaluations.log.000003 follows evaluations.log.000002")
        && e.getMessage().contains("a window spanning it cannot be counted"), e.getMessage());
  }

  @Test
  void anAlteredOrTruncatedMiddleFileIsReported() throws Exception {
    try (EvaluationCounter c = new EvaluationCounter(log(), SMALL)) {
      aliceWindowAcrossRotations(c);
    }
    Path middle = dir.resolve("evaluations.log.000002");
    byte[] original = Files.readAllBytes(middle);
    List<String> lines = Files.readAllLines(middle);
    // Drop the last evaluation line: the count over the window would be one short.
    Files.write(middle, lines.subList(0, lines.size() - 1));
    var e = assertThrows(EvaluationLogChain.BrokenChainException.class,
        () -> EvaluationLogChain.lines(log()));
    assertTrue(e.getMessage().contains("evaluations.log.000002 has sha256")
        && e.getMessage().contains("altered or truncated"), e.getMessage());
    assertTrue(e.getMessage().contains(lines.size() - 1 + " lines, but"), e.getMessage());

    byte[] flipped = original.clone();
    flipped[flipped.length - 3] ^= 1; // one digit of an index
    Files.write(middle, flipped);
    assertThrows(EvaluationLogChain.BrokenChainException.class,
        () -> EvaluationLogChain.lines(log()));
    Files.write(middle, original);
    assertEquals(16, EvaluationLogChain.lines(log()).size());
  }

  @Test
  void rotatedFilesMovedToAnArchiveAreFoundThereAndAChosenStartEndsTheWalk() throws Exception {
    try (EvaluationCounter c = new EvaluationCounter(log(), SMALL)) {
      aliceWindowAcrossRotations(c);
    }
    Path archive = Files.createDirectory(dir.resolve("archive"));
    for (String n : List.of("evaluations.log.000001", "evaluations.log.000002")) {
      Files.move(dir.resolve(n), archive.resolve(n));
    }
    assertThrows(EvaluationLogChain.BrokenChainException.class,
        () -> EvaluationLogChain.lines(log()));
    assertEquals(16, EvaluationLogChain.lines(log(), List.of(archive), null).size());
    // An auditor who already counted up to file 2 and deleted it starts at 3.
    Files.delete(archive.resolve("evaluations.log.000001"));
    Files.delete(archive.resolve("evaluations.log.000002"));
    List<Path> from3 = EvaluationLogChain.files(log(), List.of(), "evaluations.log.000003");
    assertEquals("evaluations.log.000003", from3.get(0).getFileName().toString());
  }

  @Test
  void aLogRestartedBesideRotatedFilesIsReported() throws Exception {
    try (EvaluationCounter c = new EvaluationCounter(log(), SMALL)) {
      aliceWindowAcrossRotations(c);
    }
    Files.delete(log()); // the active file lost: a member starting now begins a new chain
    try (EvaluationCounter c = new EvaluationCounter(log(), SMALL)) {
      c.countLogin(ALICE, 500, 1, 10);
    }
    var e = assertThrows(EvaluationLogChain.BrokenChainException.class,
        () -> EvaluationLogChain.lines(log()));
    assertTrue(e.getMessage().contains("are not in the chain that ends at evaluations.log"),
        e.getMessage());
  }

  /** Crash after {@code .next} is written, before the old file is renamed: both there. */
  @Test
  void aSwitchInterruptedBeforeTheRenamesIsFinishedOnOpen() throws Exception {
    Files.write(log(), List.of("login " + hex(ALICE) + " 1 1/10", "login " + hex(ALICE)
        + " 2 2/10"));
    writeNext("evaluations.log.000001", Files.readAllBytes(log()), 2);
    assertThrows(EvaluationLogChain.BrokenChainException.class,
        () -> EvaluationLogChain.lines(log()), "the reader waits for the member to finish it");
    try (EvaluationCounter c = new EvaluationCounter(log(), SMALL)) {
      c.countLogin(ALICE, 3, 3, 10);
    }
    assertFalse(Files.exists(dir.resolve("evaluations.log.next")));
    assertEquals(List.of(1, 2, 3), indices(EvaluationLogChain.lines(log())));
    assertEquals(2, EvaluationLogChain.files(log(), List.of(), null).size());
  }

  /** Crash between the two renames: the old file rotated, {@code .next} not yet active. */
  @Test
  void aSwitchInterruptedBetweenTheRenamesIsFinishedOnOpen() throws Exception {
    Path rotated = dir.resolve("evaluations.log.000001");
    Files.write(rotated, List.of("login " + hex(ALICE) + " 1 1/10"));
    writeNext("evaluations.log.000001", Files.readAllBytes(rotated), 1);
    try (EvaluationCounter c = new EvaluationCounter(log(), SMALL)) {
      c.countLogin(ALICE, 2, 2, 10);
    }
    assertEquals(List.of(1, 2), indices(EvaluationLogChain.lines(log())));
  }

  /** Crash while {@code .next} was being written: no rename happened, the old file goes on. */
  @Test
  void aHalfWrittenNextFileIsDropped() throws Exception {
    Files.write(log(), List.of("login " + hex(ALICE) + " 1 1/10"));
    Files.writeString(dir.resolve("evaluations.log.next"), "previous evaluations.lo");
    try (EvaluationCounter c = new EvaluationCounter(log(), 0)) {
      c.countLogin(ALICE, 2, 2, 10);
    }
    assertFalse(Files.exists(dir.resolve("evaluations.log.next")));
    assertEquals(List.of(1, 2), indices(EvaluationLogChain.lines(log())));
    assertEquals(1, EvaluationLogChain.files(log(), List.of(), null).size());
  }

  /** A switch that fails before the old file is renamed changes nothing and is tried again. */
  @Test
  void aFailedSwitchFailsTheLineAndIsRetriedWithTheChainIntact() throws Exception {
    try (EvaluationCounter c = new EvaluationCounter(log(), SMALL)) {
      Path blocker = Files.createDirectories(dir.resolve("evaluations.log.next/x"));
      int i = 0;
      while (Files.size(log()) < SMALL) {
        c.countLogin(ALICE, ++i, 1, 10);
      }
      long before = Files.size(log());
      int next = i + 1;
      assertThrows(java.io.IOException.class, () -> c.countLogin(ALICE, next, 1, 10),
          "no line, so no evaluation, while the log cannot rotate");
      assertEquals(before, Files.size(log()));
      Files.delete(blocker);
      Files.delete(blocker.getParent());
      c.countLogin(ALICE, next, 1, 10);
      assertEquals(next, EvaluationLogChain.lines(log()).size());
      assertEquals(2, EvaluationLogChain.files(log(), List.of(), null).size());
    }
  }

  @Test
  void reopeningContinuesTheNumberingAndTheHash() throws Exception {
    try (EvaluationCounter c = new EvaluationCounter(log(), SMALL)) {
      aliceWindowAcrossRotations(c);
    }
    int before = EvaluationLogChain.files(log(), List.of(), null).size();
    try (EvaluationCounter c = new EvaluationCounter(log(), SMALL)) {
      aliceWindowAcrossRotations(c); // the same indices again: only the chain matters here
    }
    List<Path> files = EvaluationLogChain.files(log(), List.of(), null);
    assertTrue(files.size() > before);
    assertEquals(32, EvaluationLogChain.lines(log()).size());
    assertEquals(String.format("evaluations.log.%06d", files.size() - 1),
        files.get(files.size() - 2).getFileName().toString());
  }

  @Test
  void theSizeLimitIsAConfigKey() throws Exception {
    Properties p = new Properties();
    assertEquals(EvaluationLogFile.DEFAULT_MAX_BYTES, EvaluationLogFile.maxBytes(p));
    p.setProperty("node.evaluation-log.max-bytes", "1048576");
    assertEquals(1 << 20, EvaluationLogFile.maxBytes(p));
    p.setProperty("node.evaluation-log.max-bytes", "64MB");
    var e = assertThrows(ConfigException.class, () -> EvaluationLogFile.maxBytes(p));
    assertEquals("node.evaluation-log.max-bytes is '64MB'; expected a byte count (0: never "
        + "rotate)", e.getMessage());
    assertTrue(ServiceConfig.KEYS.contains("node.evaluation-log.max-bytes"));
  }

  @Test
  void headersRoundTripAndRefuseBadNames() {
    byte[] sha = new byte[32];
    sha[0] = 7;
    EvaluationLogHeader h = new EvaluationLogHeader("evaluations.log.000004", sha, 12);
    EvaluationLogHeader back = EvaluationLogHeader.parse(h.toLine());
    assertEquals("evaluations.log.000004", back.previous());
    assertArrayEquals(sha, back.sha256());
    assertEquals(12, back.lines());
    assertThrows(IllegalArgumentException.class,
        () -> new EvaluationLogHeader("../x", sha, 1));
  }

  private void writeNext(String rotatedName, byte[] old, long lines) throws Exception {
    EvaluationLogHeader h = new EvaluationLogHeader(rotatedName,
        EvaluationLogFile.sha256().digest(old), lines);
    Files.writeString(dir.resolve("evaluations.log.next"), h.toLine() + "\n");
  }

  private static List<Integer> indices(List<EvaluationLogChain.Line> lines) {
    return lines.stream().map(l -> Integer.parseInt(l.text().split(" ")[2])).toList();
  }

  private static String hex(UserId u) {
    return java.util.HexFormat.of().formatHex(u.bytes());
  }
}
