package dev.bkv.cli.log.site;

import static dev.bkv.cli.log.site.Html.code;
import static dev.bkv.cli.log.site.Html.esc;
import static dev.bkv.cli.log.site.Html.link;

import dev.bkv.bundle.EpochReport;
import dev.bkv.bundle.LogAuditor;
import dev.bkv.bundle.RetirementReport;
import dev.bkv.transparency.NoteSignature;
import java.util.ArrayList;
import java.util.List;

/** The site's index: the checkpoint and its signatures, every epoch and every retirement. */
final class IndexPage {
  private IndexPage() {}

  static String render(LogAuditor.Report report, String origin, String checkpointText,
      List<NoteSignature> checkpointSigs, List<String> commands, List<String> files) {
    Html h = new Html("Fleet log " + origin);
    h.h(1, "Fleet log " + origin);
    h.p("Every fleet epoch this cosigner signed, and every epoch retired since. Status "
        + (report.ok() ? "verified" : "FAILED") + ": the checkpoint signature, every tile, each"
        + " bundle's chain and each retirement's statement were checked when this site was made.");
    h.h(2, "Checkpoint");
    h.dl(List.of(
        new String[] {"Entries", esc(Long.toString(report.size()))},
        new String[] {"Root hash", code(report.checkpointRoot())}));
    h.pre(checkpointText.lines().toList());
    List<List<String>> sigs = new ArrayList<>();
    for (NoteSignature s : checkpointSigs) {
      sigs.add(List.of(esc(s.name()), code(String.format("%08x", s.keyId())), code(s.base64())));
    }
    h.table(List.of("Signed by (key name)", "Key id", "Signature"), sigs);
    h.p("The first signature is the cosigner's; any other is a witness cosignature.");

    h.h(2, "Epochs");
    List<List<String>> rows = new ArrayList<>();
    for (EpochReport e : report.epochs()) {
      rows.add(List.of(link(EpochPages.name(e.epoch()), "Epoch " + e.epoch()), esc(e.fleetId()),
          esc(e.notBefore() + " .. " + e.notAfter()), code(e.bundleHash().substring(0, 16)),
          Html.status(e.ok()), e.retired() == null ? "active"
              : "<span class=\"retired\">retired " + esc(e.retired()) + "</span>"));
    }
    h.table(List.of("Epoch", "Fleet", "Valid", "Bundle", "Check", "State"), rows);

    h.h(2, "Retirements");
    if (report.retirements().isEmpty()) {
      h.p("No epoch has been retired.");
    } else {
      List<List<String>> ret = new ArrayList<>();
      for (RetirementReport r : report.retirements()) {
        ret.add(List.of(esc(Long.toString(r.leaf())), link(EpochPages.name(r.epoch()),
            "Epoch " + r.epoch()), esc(r.time()), esc(Long.toString(r.records())),
            Html.status(r.ok())));
      }
      h.table(List.of("Log leaf", "Retired epoch", "At", "Records left", "Check"), ret);
    }
    h.h(2, "Verify it yourself, offline");
    h.p("Take the cosigner's verifier key from a source you trust, not only from this site (a"
        + " forged site could bring its own). Then, in the directory holding this site:");
    h.pre(commands);
    h.h(2, "Published files");
    h.ul(files);
    return h.end();
  }
}
