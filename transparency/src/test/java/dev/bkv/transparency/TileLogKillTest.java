package dev.bkv.transparency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kills a real appending process with SIGKILL mid-stream and checks the log it leaves behind. */
class TileLogKillTest {

  @TempDir
  Path dir;

  @Test
  void killedWriterLeavesAConsistentLog() throws Exception {
    TileLogTestSupport t = new TileLogTestSupport();
    long lastSeen = 0;
    for (int round = 0; round < 4; round++) {
      Process child = new ProcessBuilder(javaBinary(), "-cp", classpath(),
          TileLogChild.class.getName(), dir.toString())
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String open = out.readLine();
        assertNotNull(open, "child did not start");
        assertEquals("open " + lastSeen, open, "the child must resume at the checkpoint");
        int appends = 3 + round * 5;
        for (int i = 0; i < appends; i++) {
          String line = out.readLine();
          assertNotNull(line, "child stopped early");
          lastSeen = Long.parseLong(line.substring(5));
        }
        child.destroyForcibly();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      }
      try (TileLogWriter w = t.open(dir)) {
        long size = w.checkpoint().size();
        assertTrue(size >= lastSeen, "checkpoint " + size + " lost appends up to " + lastSeen);
        TileLogCrashTest.assertNothingBeyondCheckpoint(dir, size);
        lastSeen = size;
      }
      TileLogReader r = t.read(dir);
      r.audit();
      List<byte[]> expected = TileLogTestSupport.entries("kill", 0, (int) r.size());
      for (int i = 0; i < r.size(); i++) {
        assertArrayEquals(expected.get(i), r.entry(i), "entry " + i);
      }
    }
    assertTrue(lastSeen > 40, "too few entries appended to exercise tile boundaries: " + lastSeen);
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Our classes, test classes and BouncyCastle: all the child needs. */
  private static String classpath() throws Exception {
    List<String> parts = new ArrayList<>();
    for (Class<?> c : List.of(TileLogChild.class, TileLogWriter.class, Ed25519Signer.class)) {
      parts.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
    }
    return String.join(File.pathSeparator, parts);
  }
}
