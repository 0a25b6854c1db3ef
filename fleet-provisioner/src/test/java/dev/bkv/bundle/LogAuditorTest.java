package dev.bkv.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.bundle.testing.BundleFixture;
import dev.bkv.transparency.Ed25519NoteSigner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogAuditorTest {

  @TempDir Path dir;

  @Test
  void fiftyEpochsWithRotationsAndMembershipChanges() throws Exception {
    BundleFixture f = new BundleFixture(30);
    Path log = dir.resolve("log");
    Path evidence = dir.resolve("evidence");
    BundleFixture.Fleet fleet = f.fleet(3);
    try (Cosigner c = f.cosigner(log)) {
      ValidationBundle prev = null;
      for (int e = 1; e <= 50; e++) {
        if (e % 10 == 0) {
          fleet = new BundleFixture.Fleet(f.point(), fleet.members());
        }
        if (e == 25) {
          List<BundleMember> members = new ArrayList<>(fleet.members().subList(1, 3));
          members.add(new BundleMember("member-4", f.point()));
          fleet = new BundleFixture.Fleet(fleet.ake(), members);
        }
        prev = BundleFixture.bundle(fleet, e, prev);
        c.sign(prev.toText(), BundleFixture.evidence(fleet, e));
        Path ev = evidence.resolve(Integer.toString(e)).resolve("evidence.dsse.json");
        Files.createDirectories(ev.getParent());
        Files.write(ev, BundleFixture.evidence(fleet, e));
      }
    }
    LogAuditor.Report report = LogAuditor.audit(log, f.cosignerKey.verifierKey(), evidence);
    assertTrue(report.ok(), report.toString());
    assertEquals(50, report.epochs().size());
    assertEquals(List.of("no key changes"), report.epochs().get(1).changes());
    assertTrue(report.epochs().get(9).changes().get(0).startsWith("AKE key rotated"));
    assertEquals(List.of("member member-4 added, identity "
        + P256Points.shorten(fleet.members().get(2).identityKey()), "member member-1 removed"),
        report.epochs().get(24).changes());
    assertTrue(report.epochs().get(49).checks().stream()
        .anyMatch(s -> s.startsWith("evidence payload hash")), report.epochs().get(49).toString());

    Files.write(evidence.resolve("7/evidence.dsse.json"), BundleFixture.evidence(f.fleet(1), 7));
    LogAuditor.Report bad = LogAuditor.audit(log, f.cosignerKey.verifierKey(), evidence);
    assertEquals(List.of(7L), bad.epochs().stream().filter(e -> !e.ok())
        .map(EpochReport::epoch).toList());
    assertTrue(bad.epochs().get(6).problems().get(0).contains("EVIDENCE") || bad.epochs().get(6)
        .problems().get(0).contains("does not match its evidence"), bad.epochs().get(6).toString());

    Ed25519NoteSigner other = Ed25519NoteSigner.generate("cosigner.test/log", f.random);
    BundleRejectedException wrongKey = assertThrows(BundleRejectedException.class,
        () -> LogAuditor.audit(log, other.verifierKey(), null));
    assertEquals(BundleException.Reason.BAD_CHECKPOINT, wrongKey.reason());
  }
}
