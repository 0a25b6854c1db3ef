package dev.bkv.cli.witness;

import dev.bkv.cli.CliException;
import dev.bkv.cli.ExitCodes;
import dev.bkv.cli.JsonOutput;
import dev.bkv.cli.bundle.BundleCli;
import dev.bkv.transparency.Checkpoint;
import dev.bkv.transparency.LogCosignatures;
import dev.bkv.transparency.VerificationFailedException;
import dev.bkv.transparency.VerifierKey;
import dev.bkv.transparency.Witness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bkv witness cosign}: check a log's checkpoint and cosign it. */
@Command(name = "cosign", description = {
    "Read the log's signed checkpoint, verify the log's signature (--log-key) and that the tiles"
        + " give its root, and check it extends the last checkpoint this witness cosigned for"
        + " that origin (same or larger size, consistency proof from the tiles). Then record it"
        + " and add this witness's cosignature line to LOG/checkpoint (or write the cosigned"
        + " checkpoint to --out). A rollback, a fork or a failed proof is refused (exit 1) and"
        + " nothing changes."})
public final class WitnessCosign implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--state", required = true, paramLabel = "DIR",
      description = "Witness state directory (from bkv witness init).")
  Path state;

  @Option(names = "--log", required = true, paramLabel = "DIR", description = "The log directory.")
  Path log;

  @Option(names = "--log-key", required = true, paramLabel = "VKEY",
      description = "The log's verifier key, i.e. the cosigner's (or a file holding it).")
  String logKey;

  @Option(names = "--out", paramLabel = "FILE",
      description = "Write the cosigned checkpoint here instead of into LOG/checkpoint.")
  Path out;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    VerifierKey key = BundleCli.logKey("--log-key", logKey);
    if (!Files.exists(state.resolve(Witness.KEY_FILE))) {
      throw new CliException(ExitCodes.NOT_FOUND, "no witness in " + state + " ("
          + Witness.KEY_FILE + " missing); run bkv witness init --state " + state);
    }
    if (!Files.isRegularFile(log.resolve("checkpoint"))) {
      throw new CliException(ExitCodes.NOT_FOUND, "no log in " + log + " (checkpoint missing)");
    }
    Witness witness = Witness.open(state, Clock.systemUTC());
    Witness.Cosigned cosigned;
    try {
      cosigned = witness.cosign(log, key);
    } catch (VerificationFailedException e) {
      throw new CliException(ExitCodes.CHECK_FAILED, "not cosigned: " + e.getMessage(), e);
    }
    if (out != null) {
      BundleCli.write(out, cosigned.note().toBytes());
    } else {
      LogCosignatures.add(log, cosigned.note());
    }
    print(cosigned);
    return ExitCodes.OK;
  }

  private void print(Witness.Cosigned c) {
    Checkpoint now = c.checkpoint();
    Checkpoint was = c.previous();
    Path target = out != null ? out : log.resolve("checkpoint");
    var w = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("origin", now.origin());
      m.put("size", now.size());
      m.put("root", now.root().toBase64());
      m.put("previousSize", was == null ? null : was.size());
      m.put("out", target.toString());
      w.println(JsonOutput.write(m));
    } else {
      w.printf("cosigned %s at size %d (root %s); %s; wrote %s%n", now.origin(), now.size(),
          now.root().toBase64(), was == null ? "first checkpoint seen for this log"
              : "extends size " + was.size(), target);
    }
    w.flush();
  }
}
