package dev.bkv.cli.cosigner;

import dev.bkv.bundle.CosignedBundle;
import dev.bkv.bundle.Cosigner;
import dev.bkv.cli.ExitCodes;
import dev.bkv.cli.JsonOutput;
import dev.bkv.cli.bundle.BundleCli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bkv cosigner sign}: check, log and sign one epoch's bundle. */
@Command(name = "sign", description = {
    "Verify the deployment evidence (every DSSE signature, proofs of possession, end state),"
        + " check the bundle is bound to it (payload hash, fleet, epoch, AKE key, members), that"
        + " its epoch is the last one plus one and its prev the hash of the last bundle signed;"
        + " then append it to the log, publish a new checkpoint, and write BUNDLE.cosigned"
        + " (signature, checkpoint, inclusion proof). Asking again with the identical bundle"
        + " gives the same answer; a different bundle for a logged epoch is refused (exit 8)."})
public final class CosignerSign implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "BUNDLE", description = "The bundle text (from bkv bundle create).")
  Path bundle;

  @Option(names = "--evidence", required = true, paramLabel = "FILE",
      description = "The deployment evidence (evidence.dsse.json) the bundle names.")
  Path evidence;

  @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Cosigner directory.")
  Path dir;

  @Option(names = "--out", paramLabel = "FILE", description = "Default: BUNDLE.cosigned.")
  Path out;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    String text = new String(BundleCli.read("bundle", bundle), StandardCharsets.UTF_8);
    byte[] evidenceBytes = BundleCli.read("evidence", evidence);
    CosignerConfig config = CosignerConfig.load(dir);
    CosignedBundle answer;
    try (CosignerConfig.Key key = config.open();
        Cosigner c = Cosigner.open(config.log(), key.signer(), key.verifierKey())) {
      answer = c.sign(text, evidenceBytes);
    }
    Path target = out != null ? out : bundle.resolveSibling(bundle.getFileName() + ".cosigned");
    BundleCli.write(target, answer.toJson());
    long epoch = dev.bkv.bundle.ValidationBundle.parse(text).epoch();
    var w = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("epoch", epoch);
      m.put("leafIndex", answer.index());
      m.put("out", target.toString());
      m.put("checkpoint", answer.checkpoint());
      w.println(JsonOutput.write(m));
    } else {
      w.printf("signed epoch %d (leaf %d); evidence verified; wrote %s%n", epoch, answer.index(),
          target);
      w.print(answer.checkpoint());
    }
    w.flush();
    return ExitCodes.OK;
  }
}
