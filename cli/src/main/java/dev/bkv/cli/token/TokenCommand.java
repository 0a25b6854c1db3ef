package dev.bkv.cli.token;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code bkv token}: inspect and manage one PKCS#11 token. */
@Command(
    name = "token",
    description = "Create (SoftHSM2), inspect and manage keys on a PKCS#11 token.",
    subcommands = {
      TokenInit.class,
      TokenInfoCommand.class,
      TokenCheckCommand.class,
      TokenObjects.class,
      TokenKeygen.class,
      TokenDestroy.class
    })
public final class TokenCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "bkv token: name a subcommand");
  }
}
