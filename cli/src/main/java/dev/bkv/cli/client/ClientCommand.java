package dev.bkv.cli.client;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code bkv client}: what an app does with a fleet, from the command line. */
@Command(
    name = "client",
    description = "Register, recover or delete a backup key on a fleet (the app's side).",
    subcommands = {ClientRegister.class, ClientRecover.class, ClientDelete.class,
        ClientChangePassword.class})
public final class ClientCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "bkv client: name a subcommand");
  }
}
