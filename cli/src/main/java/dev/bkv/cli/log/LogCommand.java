package dev.bkv.cli.log;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code bkv log}: audit a cosigner's log. */
@Command(
    name = "log",
    description = "Audit a cosigner's validation-bundle log, or publish it as a static site.",
    subcommands = {LogVerify.class, LogSite.class})
public final class LogCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "bkv log: name a subcommand");
  }
}
