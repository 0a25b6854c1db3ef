package dev.bkv.cli.cosigner;

import dev.bkv.bundle.CosignedBundle;
import dev.bkv.bundle.Cosigner;
import dev.bkv.bundle.RetirementEntry;
import dev.bkv.cli.ExitCodes;
import dev.bkv.cli.JsonOutput;
import dev.bkv.cli.bundle.BundleCli;
import dev.bkv.evidence.Envelope;
import dev.bkv.retirement.RetirementFile;
import dev.bkv.retirement.RetirementVerifier;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bkv cosigner retire}: check and log the retirement of an epoch. */
@Command(name = "retire", description = {
    "Check a retirement file from 'bkv fleet retire': the epoch's bundle is in the log and not"
        + " retired yet, the statement names it, every member's read-back is signed by the"
        + " identity key that bundle lists and shows nothing left of the epoch, and the operator"
        + " signature verifies under the key of the epoch's evidence. Then append the retirement"
        + " entry to the log, publish retirements/E.note and retirements/E.json, and write the"
        + " signed entry with checkpoint and inclusion proof. Asking again with the same file"
        + " gives the same answer."})
public final class CosignerRetire implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The retirement file (from bkv fleet retire).")
  Path file;

  @Option(names = "--evidence", required = true, paramLabel = "FILE",
      description = "The retired epoch's deployment evidence (evidence.dsse.json): the operator key.")
  Path evidence;

  @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Cosigner directory.")
  Path dir;

  @Option(names = "--out", paramLabel = "FILE", description = "Default: FILE.cosigned.")
  Path out;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    byte[] bytes = BundleCli.read("retirement file", file);
    RetirementFile retirement = RetirementFile.parse(bytes, "retirement file " + file);
    Envelope ev = Envelope.read(evidence);
    RetirementEntry entry = RetirementVerifier.entry(retirement);
    CosignerConfig config = CosignerConfig.load(dir);
    CosignedBundle answer;
    try (CosignerConfig.Key key = config.open();
        Cosigner c = Cosigner.open(config.log(), key.signer(), key.verifierKey())) {
      answer = c.retire(entry, retirement.toBytes(), RetirementVerifier.check(retirement, ev));
    }
    Path target = out != null ? out : file.resolveSibling(file.getFileName() + ".cosigned");
    BundleCli.write(target, answer.toJson());
    var w = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("retiredEpoch", entry.epoch());
      m.put("leafIndex", answer.index());
      m.put("out", target.toString());
      m.put("checkpoint", answer.checkpoint());
      w.println(JsonOutput.write(m));
    } else {
      w.printf("logged the retirement of epoch %d (leaf %d); read-backs and operator signature"
          + " verified; wrote %s%n", entry.epoch(), answer.index(), target);
      w.print(answer.checkpoint());
    }
    w.flush();
    return ExitCodes.OK;
  }
}
