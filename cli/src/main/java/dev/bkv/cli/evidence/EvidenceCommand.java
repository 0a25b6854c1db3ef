package dev.bkv.cli.evidence;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code bkv evidence}: assemble, sign and verify deployment evidence. */
@Command(
    name = "evidence",
    description = "Deployment evidence: verify it (offline and against live tokens); in the split"
        + " ceremony, prepare it from read-backs and sign it one token at a time.",
    subcommands = {EvidenceVerify.class, EvidencePrepare.class, EvidenceSign.class})
public final class EvidenceCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "bkv evidence: name a subcommand");
  }
}
