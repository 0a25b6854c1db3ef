package dev.bkv.bundle;

import dev.bkv.transparency.SignedNotes;
import dev.bkv.transparency.TileLogReader;
import dev.bkv.transparency.TransparencyException;
import dev.bkv.transparency.VerifiedNote;
import dev.bkv.transparency.VerifierKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Audits a cosigner's whole log, as anyone can: the checkpoint's signature, every tile against
 * the entries, then entry by entry. A bundle: its text (the {@code n}-th bundle is epoch
 * {@code n}), the {@code prev} chain, the fleet id, the published signed note
 * {@code bundles/<n>.note} when present, and the evidence {@code <evidence dir>/<n>/evidence.dsse.json}
 * when present. A retirement ({@link RetirementEntry}): its epoch is logged and not retired
 * before, it names that epoch's bundle, its published note {@code retirements/<n>.note}, and its
 * statement through a {@link RetirementCheck}. It reports how the AKE key and the members changed
 * at each epoch, and when each epoch was retired.
 */
public final class LogAuditor {

  /** The result: the log size, one report per epoch and one per retirement. */
  public record Report(long size, String checkpointRoot, List<EpochReport> epochs,
      List<RetirementReport> retirements) {
    public Report {
      epochs = List.copyOf(epochs);
      retirements = List.copyOf(retirements);
    }

    public boolean ok() {
      return epochs.stream().allMatch(EpochReport::ok)
          && retirements.stream().allMatch(RetirementReport::ok);
    }
  }

  private LogAuditor() {}

  /** As {@link #audit(Path, VerifierKey, Path, RetirementCheck)}, without statement checks. */
  public static Report audit(Path logDir, VerifierKey cosigner, Path evidenceDir)
      throws BundleException {
    return audit(logDir, cosigner, evidenceDir, null);
  }

  /**
   * Audits {@code logDir}; structural failures of the log itself (bad checkpoint signature, tiles
   * that do not match) throw, per-entry problems are reported. {@code statements} checks each
   * retirement's statement; null reports them as not checked.
   */
  public static Report audit(Path logDir, VerifierKey cosigner, Path evidenceDir,
      RetirementCheck statements) throws BundleException {
    TileLogReader log;
    try {
      log = TileLogReader.open(logDir, cosigner.name(), List.of(cosigner.verifier()));
      log.audit();
    } catch (TransparencyException e) {
      throw new BundleRejectedException(BundleException.Reason.BAD_CHECKPOINT, "log " + logDir
          + " does not verify under " + cosigner.name() + ": " + e.getMessage(), e);
    }
    List<EpochReport> reports = new ArrayList<>();
    List<RetirementReport> retirements = new ArrayList<>();
    Map<Long, ValidationBundle> bundles = new LinkedHashMap<>();
    long bundleCount = 0;
    ValidationBundle previous = null;
    for (long i = 0; i < log.size(); i++) {
      String text;
      try {
        text = new String(log.entry(i), StandardCharsets.UTF_8);
      } catch (TransparencyException e) {
        throw new BundleFaultException("cannot read entry " + i + ": " + e.getMessage(), e);
      }
      if (RetirementEntry.isRetirement(text)) {
        RetirementReport r = Retirements.audit(logDir, cosigner, i, text, bundles, retirements,
            statements);
        retirements.add(r);
        for (int k = 0; k < reports.size(); k++) {
          if (reports.get(k).epoch() == r.epoch() && reports.get(k).retired() == null && r.ok()) {
            reports.set(k, reports.get(k).withRetired("at " + r.time() + " (leaf " + i + ")"));
          }
        }
        continue;
      }
      List<String> checks = new ArrayList<>();
      List<String> problems = new ArrayList<>();
      ValidationBundle b;
      try {
        b = ValidationBundle.parse(text);
      } catch (MalformedBundleException e) {
        problems.add("entry " + i + " is not a bundle: " + e.getMessage());
        bundleCount++;
        reports.add(new EpochReport(bundleCount, "?", ValidationBundle.hashOf(text).toHex(),
            "?", "?", "?", List.of(), List.of(), checks, problems, null));
        bundles.putIfAbsent(bundleCount, null);
        previous = null;
        continue;
      }
      checks.add("included in checkpoint of size " + log.size());
      if (retirements.stream().anyMatch(r -> r.epoch() == b.epoch() && r.ok())) {
        problems.add("bundle for epoch " + b.epoch() + ", which was retired earlier in the log");
      }
      checkChain(b, bundleCount++, previous, checks, problems);
      checkNote(logDir, cosigner, b, text, checks, problems);
      checkEvidence(evidenceDir, b, checks, problems);
      reports.add(new EpochReport(b.epoch(), b.fleetId(), b.hash().toHex(),
          b.notBefore().toString(), b.notAfter().toString(), b.akeKey(),
          b.members().stream().map(m -> m.id() + " " + m.identityKey()).toList(),
          changes(previous, b), checks, problems, null));
      bundles.putIfAbsent(b.epoch(), b);
      previous = b;
    }
    return new Report(log.size(), log.checkpoint().root().toBase64(), reports, retirements);
  }

  private static void checkChain(ValidationBundle b, long index, ValidationBundle previous,
      List<String> checks, List<String> problems) {
    if (b.epoch() != index + 1) {
      problems.add("bundle " + (index + 1) + " of the log holds epoch " + b.epoch()
          + "; expected " + (index + 1));
    }
    if (index == 0) {
      checks.add("first epoch, prev none");
    } else if (previous != null && previous.hash().equals(b.prev())) {
      checks.add("prev is the hash of epoch " + previous.epoch());
      if (!previous.fleetId().equals(b.fleetId())) {
        problems.add("fleet id changed from " + previous.fleetId() + " to " + b.fleetId());
      }
    } else {
      problems.add("prev " + (b.prev() == null ? "none" : b.prev().toHex())
          + " is not the hash of the previous bundle");
    }
  }

  static void checkNote(Path logDir, VerifierKey cosigner, ValidationBundle b,
      String text, List<String> checks, List<String> problems) {
    Path file = logDir.resolve("bundles").resolve(b.epoch() + ".note");
    if (!Files.exists(file)) {
      checks.add("no published signed note (bundles/" + b.epoch() + ".note); inclusion only");
      return;
    }
    try {
      VerifiedNote note = SignedNotes.open(Files.readAllBytes(file), List.of(cosigner.verifier()));
      if (note.text().equals(text)) {
        checks.add("cosigner signature on the published note");
      } else {
        problems.add("published note " + file + " has another text than the logged bundle");
      }
    } catch (IOException | TransparencyException e) {
      problems.add("published note " + file + ": " + e.getMessage());
    }
  }

  private static void checkEvidence(Path evidenceDir, ValidationBundle b, List<String> checks,
      List<String> problems) {
    Path file = evidenceDir == null ? null
        : evidenceDir.resolve(Long.toString(b.epoch())).resolve("evidence.dsse.json");
    if (file == null || !Files.exists(file)) {
      return;
    }
    try {
      EvidenceFacts.read(Files.readAllBytes(file)).requireMatches(b);
      checks.add("evidence payload hash and fields match " + file.getFileName());
    } catch (IOException | BundleException e) {
      problems.add("evidence " + file + ": " + e.getMessage());
    }
  }

  /** One line per change of the AKE key or the members between two epochs. */
  static List<String> changes(ValidationBundle before, ValidationBundle after) {
    List<String> out = new ArrayList<>();
    if (before == null) {
      out.add("AKE key " + P256Points.shorten(after.akeKey()));
      after.members().forEach(m -> out.add("member " + m.id() + " added, identity "
          + P256Points.shorten(m.identityKey())));
      return out;
    }
    if (!before.akeKey().equals(after.akeKey())) {
      out.add("AKE key rotated " + P256Points.shorten(before.akeKey()) + " -> "
          + P256Points.shorten(after.akeKey()));
    }
    Map<String, String> old = new LinkedHashMap<>();
    before.members().forEach(m -> old.put(m.id(), m.identityKey()));
    for (BundleMember m : after.members()) {
      String was = old.remove(m.id());
      if (was == null) {
        out.add("member " + m.id() + " added, identity " + P256Points.shorten(m.identityKey()));
      } else if (!was.equals(m.identityKey())) {
        out.add("member " + m.id() + " identity key changed " + P256Points.shorten(was) + " -> "
            + P256Points.shorten(m.identityKey()));
      }
    }
    old.keySet().forEach(id -> out.add("member " + id + " removed"));
    if (out.isEmpty()) {
      out.add("no key changes");
    }
    return out;
  }
}
