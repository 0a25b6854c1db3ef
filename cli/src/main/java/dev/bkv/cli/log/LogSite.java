package dev.bkv.cli.log;

import dev.bkv.bundle.LogAuditor;
import dev.bkv.cli.ExitCodes;
import dev.bkv.cli.JsonOutput;
import dev.bkv.cli.log.site.Site;
import dev.bkv.transparency.VerifierKey;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bkv log site}: the audited log as a static HTML site. */
@Command(name = "site", description = {
    "Audit the log as 'bkv log verify' does, then write a static HTML site to SITE (no"
        + " JavaScript): index.html listing every epoch and retirement with the checkpoint and"
        + " its signatures, and epoch-N.html per epoch (members, token models and serials, fleet"
        + " key fingerprints, evidence and bundle hashes, signatures, what changed, retirement).",
    "The files the pages' 'bkv' commands verify are copied beside them: log/, evidence/N/ and"
        + " cosigner.vkey. A log with problems is rendered too (the pages say FAILED); the exit"
        + " code is then 1."})
public final class LogSite implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin PublishedLog published;

  @Option(names = "--out", required = true, paramLabel = "SITE", description = "Directory to write the site to.")
  Path out;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    VerifierKey key = published.key();
    LogAuditor.Report report = published.audit(key);
    List<Path> pages = Site.write(report, key, published.log, published.evidenceDir, out);
    PrintWriter w = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("site", out.toString());
      m.put("pages", pages.stream().map(p -> p.getFileName().toString()).toList());
      m.put("ok", report.ok());
      w.println(JsonOutput.write(m));
    } else {
      w.printf("wrote %d pages (%d epochs, %d retirements) to %s; open %s%n", pages.size(),
          report.epochs().size(), report.retirements().size(), out, out.resolve("index.html"));
    }
    w.flush();
    return report.ok() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
  }
}
