package dev.bkv.cli.cosigner;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code bkv cosigner}: the independent party that signs validation bundles and logs them. */
@Command(
    name = "cosigner",
    description = "Run a cosigner: its key, its audit log, and signing validation bundles.",
    subcommands = {CosignerInit.class, CosignerSign.class, CosignerRetire.class})
public final class CosignerCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "bkv cosigner: name a subcommand");
  }
}
