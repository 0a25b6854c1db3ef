package dev.bkv.cli.log.site;

import dev.bkv.bundle.EpochReport;
import dev.bkv.bundle.RetirementReport;
import dev.bkv.bundle.ValidationBundle;
import dev.bkv.evidence.Envelope;
import dev.bkv.evidence.EvidencePayload;
import dev.bkv.evidence.Json;
import dev.bkv.retirement.RetirementFile;
import dev.bkv.retirement.RetirementReadback;
import dev.bkv.transparency.Note;
import dev.bkv.transparency.NoteLimits;
import dev.bkv.transparency.NoteSignature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What one epoch's page shows, gathered from the audit report and the published files; anything
 * that is not published or does not parse is null (the page says so).
 *
 * @param bundle     the logged bundle text, parsed
 * @param evidence   the evidence envelope ({@code <evidence dir>/<n>/evidence.dsse.json})
 * @param payload    its payload
 * @param noteSigs   the signature lines of {@code bundles/<n>.note}
 * @param retirement the audit of this epoch's retirement entry
 * @param retired    the published retirement file ({@code retirements/<n>.json})
 * @param readbacks  the members' read-backs in it
 * @param unreadable published files that did not parse, with the reason
 */
record EpochFiles(EpochReport report, ValidationBundle bundle, Envelope evidence,
    EvidencePayload payload, List<NoteSignature> noteSigs, RetirementReport retirement,
    RetirementFile retired, List<RetirementReadback> readbacks, List<String> unreadable) {

  static EpochFiles gather(EpochReport report, ValidationBundle bundle, Path logDir,
      Path evidenceDir, RetirementReport retirement) {
    long n = report.epoch();
    List<String> unreadable = new ArrayList<>();
    Envelope env = null;
    EvidencePayload payload = null;
    Path ev = evidenceDir == null ? null
        : evidenceDir.resolve(Long.toString(n)).resolve("evidence.dsse.json");
    if (ev != null && Files.exists(ev)) {
      try {
        env = Envelope.read(ev);
        payload = Json.parse(env.payloadBytes(), EvidencePayload.class, "evidence");
      } catch (Exception e) {
        unreadable.add(ev.getFileName() + ": " + e.getMessage());
        env = null;
      }
    }
    List<NoteSignature> sigs = List.of();
    Path note = logDir.resolve("bundles").resolve(n + ".note");
    if (Files.exists(note)) {
      try {
        sigs = Note.parse(Files.readAllBytes(note), NoteLimits.DEFAULT).signatures();
      } catch (Exception e) {
        unreadable.add("bundles/" + n + ".note: " + e.getMessage());
      }
    }
    RetirementFile retired = null;
    List<RetirementReadback> readbacks = new ArrayList<>();
    Path rf = logDir.resolve("retirements").resolve(n + ".json");
    if (retirement != null && Files.exists(rf)) {
      try {
        retired = RetirementFile.read(rf);
        for (Envelope rb : retired.readbacks()) {
          readbacks.add(Json.parse(rb.payloadBytes(), RetirementReadback.class, "read-back"));
        }
      } catch (Exception e) {
        unreadable.add("retirements/" + n + ".json: " + e.getMessage());
        retired = null;
        readbacks.clear();
      }
    }
    return new EpochFiles(report, bundle, env, payload, sigs, retirement, retired, readbacks,
        unreadable);
  }
}
