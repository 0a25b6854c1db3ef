package dev.bkv.cli.log.site;

import dev.bkv.bundle.EpochReport;
import dev.bkv.bundle.LogAuditor;
import dev.bkv.bundle.MalformedBundleException;
import dev.bkv.bundle.RetirementEntry;
import dev.bkv.bundle.RetirementReport;
import dev.bkv.bundle.ValidationBundle;
import dev.bkv.transparency.MalformedInputException;
import dev.bkv.transparency.Note;
import dev.bkv.transparency.NoteLimits;
import dev.bkv.transparency.TileLogReader;
import dev.bkv.transparency.TransparencyException;
import dev.bkv.transparency.VerifierKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Renders an audited cosigner log as a static site: {@code index.html}, one
 * {@code epoch-<n>.html} per epoch, and beside them the files the pages' commands verify:
 * {@code log/} (checkpoint, tiles, signed notes, retirement statements), {@code evidence/<n>/}
 * and {@code cosigner.vkey}.
 */
public final class Site {
  private Site() {}

  /** Writes the site to {@code out} and returns the page files written. */
  public static List<Path> write(LogAuditor.Report report, VerifierKey key, Path logDir,
      Path evidenceDir, Path out) throws IOException, TransparencyException,
      MalformedInputException {
    Files.createDirectories(out);
    copyTree(logDir, out.resolve("log"));
    Files.writeString(out.resolve("cosigner.vkey"), key.encode() + "\n", StandardCharsets.UTF_8);
    List<String> files = new ArrayList<>(List.of("cosigner.vkey: the cosigner's verifier key",
        "log/: the tiled log (checkpoint, tile/), bundles/N.note and retirements/N.note (signed"
            + " entries), retirements/N.json (retirement statements with the read-backs)"));
    boolean anyEvidence = false;
    for (EpochReport e : report.epochs()) {
      Path ev = evidenceDir == null ? null
          : evidenceDir.resolve(Long.toString(e.epoch())).resolve("evidence.dsse.json");
      if (ev != null && Files.exists(ev)) {
        Path to = out.resolve("evidence").resolve(Long.toString(e.epoch()));
        Files.createDirectories(to);
        Files.copy(ev, to.resolve("evidence.dsse.json"), StandardCopyOption.REPLACE_EXISTING);
        files.add("evidence/" + e.epoch() + "/evidence.dsse.json: epoch " + e.epoch()
            + "'s deployment evidence");
        anyEvidence = true;
      }
    }
    String verifyAll = "bkv log verify --log log --cosigner-key cosigner.vkey"
        + (anyEvidence ? " --evidence-dir evidence" : "");
    byte[] checkpoint = Files.readAllBytes(logDir.resolve("checkpoint"));
    Note cp = Note.parse(checkpoint, NoteLimits.DEFAULT);
    String origin = cp.text().lines().findFirst().orElse(key.name());
    List<Path> written = new ArrayList<>();
    written.add(write(out.resolve("index.html"), IndexPage.render(report, origin, cp.text(),
        cp.signatures(), List.of(verifyAll), files)));

    Map<Long, ValidationBundle> bundles = bundles(logDir, key);
    Map<Long, RetirementReport> retirements = new HashMap<>();
    report.retirements().forEach(r -> retirements.putIfAbsent(r.epoch(), r));
    for (EpochReport e : report.epochs()) {
      EpochFiles f = EpochFiles.gather(e, bundles.get(e.epoch()), logDir, evidenceDir,
          retirements.get(e.epoch()));
      List<String> commands = new ArrayList<>(List.of(verifyAll));
      if (f.evidence() != null) {
        commands.add("bkv evidence verify evidence/" + e.epoch() + "/evidence.dsse.json");
      }
      written.add(write(out.resolve(EpochPages.name(e.epoch())),
          EpochPage.render(f, origin, commands)));
    }
    return written;
  }

  /** The logged bundles by epoch (the n-th bundle entry). */
  private static Map<Long, ValidationBundle> bundles(Path logDir, VerifierKey key)
      throws TransparencyException {
    TileLogReader log = TileLogReader.open(logDir, key.name(), List.of(key.verifier()));
    Map<Long, ValidationBundle> out = new HashMap<>();
    long epoch = 0;
    for (long i = 0; i < log.size(); i++) {
      String text = new String(log.entry(i), StandardCharsets.UTF_8);
      if (RetirementEntry.isRetirement(text)) {
        continue;
      }
      epoch++;
      try {
        out.put(epoch, ValidationBundle.parse(text));
      } catch (MalformedBundleException e) {
        // the audit report names it; the page shows what the report has
      }
    }
    return out;
  }

  private static Path write(Path file, String html) throws IOException {
    Files.writeString(file, html, StandardCharsets.UTF_8);
    return file;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else if (!p.getFileName().toString().startsWith(".")
            && !p.getFileName().toString().endsWith(".lock")) {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
