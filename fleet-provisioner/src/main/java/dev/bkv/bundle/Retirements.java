package dev.bkv.bundle;

import dev.bkv.transparency.SignedNotes;
import dev.bkv.transparency.TransparencyException;
import dev.bkv.transparency.VerifiedNote;
import dev.bkv.transparency.VerifierKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@link LogAuditor}'s checks of one retirement entry. */
final class Retirements {
  private Retirements() {}

  static RetirementReport audit(Path logDir, VerifierKey cosigner, long leaf, String text,
      Map<Long, ValidationBundle> bundles, List<RetirementReport> earlier,
      RetirementCheck statements) {
    List<String> checks = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    RetirementEntry r;
    try {
      r = RetirementEntry.parse(text);
    } catch (MalformedBundleException e) {
      problems.add("entry " + leaf + " is not a retirement: " + e.getMessage());
      return new RetirementReport(0, leaf, "?", "?", ValidationBundle.hashOf(text).toHex(), 0, "?",
          checks, problems);
    }
    checks.add("included in the checkpoint");
    ValidationBundle retired = bundles.get(r.epoch());
    if (!bundles.containsKey(r.epoch())) {
      problems.add("retirement of epoch " + r.epoch() + ", which is not in the log before it"
          + " (epochs logged: " + bundles.keySet() + ")");
    } else if (retired == null) {
      problems.add("retirement of epoch " + r.epoch() + ", whose bundle is malformed");
    } else if (!retired.hash().equals(r.bundle()) || !retired.fleetId().equals(r.fleetId())) {
      problems.add("retirement names bundle " + r.bundle().toHex() + " of fleet " + r.fleetId()
          + "; epoch " + r.epoch() + "'s bundle is " + retired.hash().toHex() + " of fleet "
          + retired.fleetId());
    } else {
      checks.add("names epoch " + r.epoch() + "'s logged bundle");
    }
    if (earlier.stream().anyMatch(x -> x.epoch() == r.epoch() && x.ok())) {
      problems.add("epoch " + r.epoch() + " is retired a second time");
    }
    Path file = logDir.resolve("retirements").resolve(r.epoch() + ".note");
    if (!Files.exists(file)) {
      checks.add("no published signed note (retirements/" + r.epoch() + ".note); inclusion only");
    } else {
      try {
        VerifiedNote note = SignedNotes.open(Files.readAllBytes(file), List.of(cosigner.verifier()));
        if (note.text().equals(text)) {
          checks.add("cosigner signature on the published note");
        } else {
          problems.add("published note " + file + " has another text than the logged retirement");
        }
      } catch (IOException | TransparencyException e) {
        problems.add("published note " + file + ": " + e.getMessage());
      }
    }
    if (statements == null) {
      checks.add("statement not checked");
    } else if (retired != null && problems.isEmpty()) {
      try {
        checks.add(statements.check(r, retired));
      } catch (BundleException e) {
        problems.add(e.getMessage());
      }
    }
    return new RetirementReport(r.epoch(), leaf, r.fleetId(), r.bundle().toHex(),
        r.statement().toHex(), r.records(), r.time().toString(), checks, problems);
  }
}
