package dev.bkv.cli.witness;

import dev.bkv.cli.CliException;
import dev.bkv.cli.ExitCodes;
import dev.bkv.cli.bundle.BundleCli;
import dev.bkv.transparency.Checkpoint;
import dev.bkv.transparency.LogCosignatures;
import dev.bkv.transparency.Note;
import dev.bkv.transparency.NoteLimits;
import dev.bkv.transparency.VerifierKey;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bkv witness attach}: put cosignatures returned by remote witnesses on the log. */
@Command(name = "attach", description = {
    "Add the cosignature lines of FILE… (written by bkv witness cosign --out) to LOG/checkpoint:"
        + " each FILE must be the log's current checkpoint, validly signed by --log-key. The"
        + " lines are not checked here; auditors and apps check the witnesses they require."})
public final class WitnessAttach implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--log", required = true, paramLabel = "DIR", description = "The log directory.")
  Path log;

  @Option(names = "--log-key", required = true, paramLabel = "VKEY",
      description = "The log's verifier key, i.e. the cosigner's (or a file holding it).")
  String logKey;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Cosigned checkpoints.")
  List<Path> files;

  @Override
  public Integer call() throws Exception {
    VerifierKey key = BundleCli.logKey("--log-key", logKey);
    var w = spec.commandLine().getOut();
    for (Path f : files) {
      byte[] bytes = BundleCli.read("cosigned checkpoint", f);
      Checkpoint c;
      try {
        c = Checkpoint.open(bytes, key.name(), List.of(key.verifier()));
      } catch (dev.bkv.transparency.TransparencyException e) {
        throw new CliException(e instanceof dev.bkv.transparency.MalformedInputException
            ? ExitCodes.BAD_INPUT : ExitCodes.CHECK_FAILED, f + ": " + e.getMessage(), e);
      }
      Note published = LogCosignatures.add(log, Note.parse(bytes, NoteLimits.DEFAULT));
      w.printf("attached %s to the checkpoint of size %d; it has %d signature lines%n", f,
          c.size(), published.signatures().size());
    }
    w.flush();
    return ExitCodes.OK;
  }
}
