package dev.bkv.cli.witness;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code bkv witness}: cosign a cosigner's log checkpoints after checking consistency. */
@Command(
    name = "witness",
    description = "Run a transparency-log witness: cosign a log's checkpoint (C2SP"
        + " tlog-cosignature) only when it extends the last one this witness cosigned.",
    subcommands = {WitnessInit.class, WitnessCosign.class, WitnessAttach.class})
public final class WitnessCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "bkv witness: name a subcommand");
  }
}
