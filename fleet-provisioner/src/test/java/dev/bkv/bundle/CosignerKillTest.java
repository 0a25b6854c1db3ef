package dev.bkv.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bkv.bundle.testing.BundleFixture;
import dev.bkv.transparency.NoteSigner;
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

/**
 * SIGKILLs a real cosigner process while it signs epoch after epoch; the restarted cosigner must
 * find a log that verifies, holds every epoch it answered, and continues the chain.
 */
class CosignerKillTest {

  @TempDir Path dir;

  @Test
  void killedCosignerRestartsWithAConsistentLog() throws Exception {
    BundleFixture f = CosignerChild.fixture();
    BundleFixture.Fleet fleet = f.fleet(2);
    List<ValidationBundle> bundles = CosignerChild.bundles(fleet);
    long answered = 0;
    for (int round = 0; round < 3; round++) {
      Process child = new ProcessBuilder(javaBinary(), "-cp", classpath(),
          CosignerChild.class.getName(), dir.toString())
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String open = out.readLine();
        assertNotNull(open, "child did not start");
        long resumed = Long.parseLong(open.substring(5));
        assertTrue(resumed >= answered, "restart lost epochs: " + resumed + " < " + answered);
        for (int i = 0; i < 2 + round * 3; i++) {
          String line = out.readLine();
          assertNotNull(line, "child stopped early");
          answered = Long.parseLong(line.substring(6));
        }
        child.destroyForcibly();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      }
      LogAuditor.Report report = LogAuditor.audit(dir, f.cosignerKey.verifierKey(), null);
      assertTrue(report.ok(), report.toString());
      assertTrue(report.size() >= answered, "log " + report.size() + " < answered " + answered);
      try (Cosigner c = f.cosigner(dir)) {
        long last = c.lastEpoch();
        CosignedBundle again = c.sign(bundles.get((int) last - 1).toText(),
            BundleFixture.evidence(fleet, last));
        assertEquals(last - 1, again.index(), "re-asking for the last epoch is safe");
        assertEquals(last, c.lastEpoch());
      }
    }
    assertTrue(answered >= 11, "too few epochs signed: " + answered);
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String classpath() throws Exception {
    List<String> parts = new ArrayList<>();
    for (Class<?> c : List.of(CosignerChild.class, Cosigner.class, NoteSigner.class,
        Ed25519Signer.class, ObjectMapper.class, JsonFactory.class, JsonAutoDetect.class)) {
      parts.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
    }
    return String.join(File.pathSeparator, parts);
  }
}
