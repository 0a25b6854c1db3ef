package dev.bkv.cli.node;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code bkv node}: run and inspect fleet members. */
@Command(
    name = "node",
    description = "Run a fleet member (vault node) and inspect members.",
    subcommands = {NodeRun.class, NodeStatus.class, NodeDevCa.class, NodeDevFleetKeys.class,
        NodeMemberCert.class, NodeRoster.class})
public final class NodeCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "bkv node: name a subcommand");
  }
}
