package dev.bkv.cli.bundle;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code bkv bundle}: validation bundles, operator and client side. */
@Command(
    name = "bundle",
    description = "Create, countersign and verify validation bundles (DESIGN.md §5).",
    subcommands = {BundleCreate.class, BundleOperatorKey.class, BundleCountersign.class,
        BundleVerify.class})
public final class BundleCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "bkv bundle: name a subcommand");
  }
}
