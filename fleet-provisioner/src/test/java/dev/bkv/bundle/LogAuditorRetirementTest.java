package dev.bkv.bundle;

import static org.junit.jupiter.api.Assertions.*;

import dev.bkv.bundle.testing.BundleFixture;
import dev.bkv.transparency.Sha256Hash;
import dev.bkv.transparency.TileLogWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The auditor on a log a misbehaving cosigner wrote directly: a retirement of an epoch not in
 * the log, one naming another bundle, a second retirement of an epoch, and a bundle for an epoch
 * after its retirement are each reported; a correct retirement marks its epoch retired.
 */
class LogAuditorRetirementTest {
  @TempDir Path dir;

  @Test
  void retirementProblemsAreReportedPerEntry() throws Exception {
    BundleFixture f = new BundleFixture(41);
    BundleFixture.Fleet fleet = f.fleet(2);
    ValidationBundle b1 = BundleFixture.bundle(fleet, 1, null);
    ValidationBundle b2 = BundleFixture.bundle(fleet, 2, b1);
    Sha256Hash statement = ValidationBundle.hashOf("statement");
    Instant t = Instant.parse("2026-12-01T00:00:00Z");
    RetirementEntry retire1 = new RetirementEntry(BundleFixture.FLEET, 1, b1.hash(), statement, 0, t);
    RetirementEntry unknown = new RetirementEntry(BundleFixture.FLEET, 5, b1.hash(), statement, 0, t);
    RetirementEntry otherBundle = new RetirementEntry(BundleFixture.FLEET, 2, b1.hash(), statement, 0, t);
    Path log = dir.resolve("log");
    try (TileLogWriter w = TileLogWriter.open(log, f.cosignerKey.name(), f.cosignerKey,
        f.cosignerKey.verifierKey().verifier(), TileLogWriter.StepHook.NONE)) {
      for (String text : List.of(b1.toText(), unknown.toText(), b2.toText(), retire1.toText(),
          otherBundle.toText(), retire1.toText(), b1.toText())) {
        w.append(List.of(text.getBytes(StandardCharsets.UTF_8)));
      }
    }
    LogAuditor.Report r = LogAuditor.audit(log, f.cosignerKey.verifierKey(), null);
    assertFalse(r.ok());
    assertEquals(4, r.retirements().size());
    assertTrue(r.retirements().get(0).problems().get(0).contains("retirement of epoch 5, which is"
        + " not in the log before it"), r.retirements().get(0).toString());
    assertEquals(List.of("statement not checked"), r.retirements().get(1).checks().subList(
        r.retirements().get(1).checks().size() - 1, r.retirements().get(1).checks().size()));
    assertTrue(r.retirements().get(1).ok(), r.retirements().get(1).toString());
    assertTrue(r.retirements().get(2).problems().get(0).contains("retirement names bundle "
        + b1.hash().toHex()), r.retirements().get(2).toString());
    assertTrue(r.retirements().get(3).problems().contains("epoch 1 is retired a second time"),
        r.retirements().get(3).toString());
    assertEquals("at 2026-12-01T00:00:00Z (leaf 3)", r.epochs().get(0).retired());
    assertNull(r.epochs().get(1).retired());
    EpochReport late = r.epochs().get(2);
    assertTrue(late.problems().contains("bundle for epoch 1, which was retired earlier in the log"),
        late.toString());
    assertTrue(late.problems().stream().anyMatch(p -> p.contains("bundle 3 of the log holds epoch 1")),
        late.toString());
  }
}
