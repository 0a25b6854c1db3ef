package dev.bkv.cli.fleet;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code bkv fleet}: member keys, the provisioning ceremony, and its split form. */
@Command(
    name = "fleet",
    description = "Provision a fleet: member keys, the key ceremony, split export/import; retire an epoch.",
    subcommands = {FleetInitMember.class, FleetInitOperator.class, FleetProvision.class,
        FleetExportKeys.class, FleetImportKeys.class, FleetRetireMember.class, FleetRetire.class, FleetStatus.class})
public final class FleetCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "bkv fleet: name a subcommand");
  }
}
