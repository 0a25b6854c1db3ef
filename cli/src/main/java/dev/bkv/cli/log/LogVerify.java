package dev.bkv.cli.log;

import dev.bkv.bundle.EpochReport;
import dev.bkv.bundle.LogAuditor;
import dev.bkv.bundle.RetirementReport;
import dev.bkv.cli.CliException;
import dev.bkv.cli.ExitCodes;
import dev.bkv.cli.JsonOutput;
import dev.bkv.cli.bundle.BundleCli;
import dev.bkv.transparency.VerifierKey;
import dev.bkv.transparency.WitnessPolicy;
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

/** {@code bkv log verify}: walk every epoch of the log and show how the fleet keys changed. */
@Command(name = "verify", description = {
    "Verify the log's signed checkpoint and every tile, then each epoch: the bundle text, its"
        + " prev chain, the published signed note (bundles/N.note) and, with --evidence-dir, the"
        + " evidence in DIR/N/evidence.dsse.json; print how the AKE key and members changed."
        + " With --witness-threshold K, also require that at least K of the --witness keys"
        + " cosigned the log's checkpoint.",
    "Retirement entries are checked too: the epoch was logged and not retired before, the"
        + " published note (retirements/N.note) and statement (retirements/N.json: every member's"
        + " signed read-back, the operator's signature). Exit 1 if any entry has a problem or too"
        + " few witnesses cosigned."})
public final class LogVerify implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin PublishedLog published;

  @Option(names = "--witness", paramLabel = "VKEY",
      description = "A witness whose cosignature the checkpoint may carry (a verifier key, or a"
          + " file of keys one per line); repeatable. Needs --witness-threshold.")
  List<String> witnesses;

  @Option(names = "--witness-threshold", paramLabel = "K",
      description = "Fail unless at least K of the --witness keys cosigned the log's checkpoint"
          + " (default: no witness required).")
  Integer witnessThreshold;

  @Option(names = "--json", description = "Print JSON; with --witness, {report, witnesses}.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    VerifierKey key = published.key();
    WitnessPolicy policy = BundleCli.witnessPolicy(witnesses, witnessThreshold);
    LogAuditor.Report report = published.audit(key);
    WitnessPolicy.Count cosigned = policy == WitnessPolicy.NONE ? null
        : LogWitnesses.count(published.log, key, report.checkpointRoot(), policy);
    PrintWriter w = spec.commandLine().getOut();
    if (json && cosigned != null) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("report", report);
      m.put("witnesses", cosigned);
      w.println(JsonOutput.write(m));
    } else if (json) {
      w.println(JsonOutput.write(report));
    } else {
      w.printf("log %s: %d entries (%d epochs, %d retirements), checkpoint root %s, signed by"
          + " %s%n", published.log, report.size(), report.epochs().size(), report.retirements().size(),
          report.checkpointRoot(), key.name());
      for (EpochReport e : report.epochs()) {
        w.printf("epoch %d  %s  fleet %s  valid %s .. %s  bundle %s%n", e.epoch(),
            e.ok() ? "ok  " : "FAIL", e.fleetId(), e.notBefore(), e.notAfter(),
            e.bundleHash().substring(0, 16));
        e.changes().forEach(c -> w.printf("    %s%n", c));
        if (e.retired() != null) {
          w.printf("    epoch %d retired %s%n", e.epoch(), e.retired());
        }
        e.problems().forEach(p -> w.printf("    FAIL %s%n", p));
      }
      for (RetirementReport r : report.retirements()) {
        w.printf("leaf %d  %s  epoch %d retired at %s, %d records left, statement %s%n", r.leaf(),
            r.ok() ? "ok  " : "FAIL", r.epoch(), r.time(), r.records(),
            r.statementHash().substring(0, Math.min(16, r.statementHash().length())));
        r.problems().forEach(p -> w.printf("    FAIL %s%n", p));
      }
      if (cosigned != null) {
        w.printf("witnesses %s  %s%n", cosigned.satisfied() ? "ok  " : "FAIL",
            cosigned.describe());
      }
    }
    w.flush();
    long bad = report.epochs().stream().filter(e -> !e.ok()).count();
    if (bad > 0) {
      throw new CliException(ExitCodes.CHECK_FAILED, bad + " of " + report.epochs().size()
          + " epochs failed; first: epoch " + report.epochs().stream().filter(e -> !e.ok())
              .findFirst().map(e -> e.epoch() + ": " + e.problems().get(0)).orElse(""));
    }
    RetirementReport badRetirement = report.retirements().stream().filter(r -> !r.ok())
        .findFirst().orElse(null);
    if (badRetirement != null) {
      throw new CliException(ExitCodes.CHECK_FAILED, "retirement at leaf " + badRetirement.leaf()
          + " failed: " + badRetirement.problems().get(0));
    }
    if (cosigned != null && !cosigned.satisfied()) {
      throw new CliException(ExitCodes.CHECK_FAILED, "checkpoint of log " + published.log + " (size "
          + report.size() + ") has " + cosigned.describe());
    }
    return ExitCodes.OK;
  }
}
