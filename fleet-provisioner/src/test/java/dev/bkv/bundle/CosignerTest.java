package dev.bkv.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.bundle.testing.BundleFixture;
import dev.bkv.transparency.TileLogWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CosignerTest {

  @TempDir Path dir;

  @Test
  void signsEpochsInOrderAndRefusesEverythingElse() throws Exception {
    BundleFixture f = new BundleFixture(10);
    BundleFixture.Fleet fleet = f.fleet(2);
    ValidationBundle one = BundleFixture.bundle(fleet, 1, null);
    ValidationBundle two = BundleFixture.bundle(fleet, 2, one);
    ValidationBundle three = BundleFixture.bundle(fleet, 3, two);
    try (Cosigner c = f.cosigner(dir)) {
      BundleRejectedException skip = assertThrows(BundleRejectedException.class,
          () -> c.sign(two.toText(), BundleFixture.evidence(fleet, 2)));
      assertEquals(BundleException.Reason.EPOCH_NOT_NEXT, skip.reason());
      assertTrue(skip.getMessage().contains("last epoch is 0"), skip.getMessage());

      CosignedBundle first = c.sign(one.toText(), BundleFixture.evidence(fleet, 1));
      assertEquals(0, first.index());
      assertEquals(1, c.lastEpoch());

      ValidationBundle wrongPrev = new ValidationBundle(two.fleetId(), 2, two.notBefore(),
          two.notAfter(), three.prev(), two.evidence(), two.akeKey(), two.members());
      BundleRejectedException prev = assertThrows(BundleRejectedException.class,
          () -> c.sign(wrongPrev.toText(), BundleFixture.evidence(fleet, 2)));
      assertEquals(BundleException.Reason.PREV_MISMATCH, prev.reason());

      BundleRejectedException evidence = assertThrows(BundleRejectedException.class,
          () -> c.sign(two.toText(), BundleFixture.evidence(f.fleet(2), 2)));
      assertEquals(BundleException.Reason.EVIDENCE_MISMATCH, evidence.reason());

      c.sign(two.toText(), BundleFixture.evidence(fleet, 2));
      CosignedBundle third = c.sign(three.toText(), BundleFixture.evidence(fleet, 3));
      assertEquals(2, third.index());
      assertEquals(3, c.lastEpoch());

      CosignedBundle again = c.sign(one.toText(), BundleFixture.evidence(fleet, 1));
      assertEquals(first.note(), again.note(), "re-signing identical text is idempotent");
      assertEquals(3, c.lastEpoch());

      BundleFixture.Fleet other = f.fleet(2);
      ValidationBundle rival = BundleFixture.bundle(other, 2, one);
      EquivocationException eq = assertThrows(EquivocationException.class,
          () -> c.sign(rival.toText(), BundleFixture.evidence(other, 2)));
      assertEquals(2, eq.epoch());
      assertTrue(eq.getMessage().startsWith("EQUIVOCATION at epoch 2"), eq.getMessage());
      assertEquals(3, c.lastEpoch());
    }
    assertTrue(Files.exists(dir.resolve("bundles/3.note")));
  }

  @Test
  void byDefaultTheEvidenceItselfMustVerify() throws Exception {
    BundleFixture f = new BundleFixture(12);
    BundleFixture.Fleet fleet = f.fleet(1);
    ValidationBundle one = BundleFixture.bundle(fleet, 1, null);
    try (Cosigner c = Cosigner.open(dir, f.cosignerKey, f.cosignerKey.verifierKey())) {
      BundleException e = assertThrows(BundleException.class,
          () -> c.sign(one.toText(), BundleFixture.evidence(fleet, 1)));
      assertTrue(e.getMessage().contains("evidence"), e.getMessage());
      assertEquals(0, c.lastEpoch(), "nothing is logged for unverified evidence");
    }
  }

  /** A crash at each step of the append, then a restart and the same request again. */
  @ParameterizedTest
  @EnumSource(TileLogWriter.Step.class)
  void crashDuringSignLeavesAConsistentLogAndReRunIsSafe(TileLogWriter.Step crashAt)
      throws Exception {
    BundleFixture f = new BundleFixture(11);
    BundleFixture.Fleet fleet = f.fleet(1);
    ValidationBundle one = BundleFixture.bundle(fleet, 1, null);
    ValidationBundle two = BundleFixture.bundle(fleet, 2, one);
    try (Cosigner c = f.cosigner(dir)) {
      c.sign(one.toText(), BundleFixture.evidence(fleet, 1));
    }
    boolean[] armed = {true};
    TileLogWriter.StepHook crash = (step, detail) -> {
      if (armed[0] && step == crashAt) {
        armed[0] = false;
        throw new IOException("simulated crash at " + step);
      }
    };
    try (Cosigner c = Cosigner.open(dir, f.cosignerKey, f.cosignerKey.verifierKey(),
        EvidenceCheck.BINDING_ONLY, crash)) {
      assertThrows(BundleFaultException.class,
          () -> c.sign(two.toText(), BundleFixture.evidence(fleet, 2)));
    }
    long expectedAfterCrash = crashAt == TileLogWriter.Step.CHECKPOINT_PUBLISHED ? 2 : 1;
    try (Cosigner c = f.cosigner(dir)) {
      assertEquals(expectedAfterCrash, c.lastEpoch(), "the checkpoint is the commit point");
      CosignedBundle answer = c.sign(two.toText(), BundleFixture.evidence(fleet, 2));
      assertEquals(2, c.lastEpoch());
      assertEquals(1, answer.index());
      CosignedBundle repeat = c.sign(two.toText(), BundleFixture.evidence(fleet, 2));
      assertEquals(answer, repeat);
      assertArrayEquals(Files.readAllBytes(dir.resolve("bundles/2.note")),
          answer.parsedNote().toBytes());
    }
    LogAuditor.Report report = LogAuditor.audit(dir, f.cosignerKey.verifierKey(), null);
    assertEquals(2, report.size());
    assertTrue(report.ok(), report.toString());
  }
}
