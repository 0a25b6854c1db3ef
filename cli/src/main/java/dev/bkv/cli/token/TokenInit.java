package dev.bkv.cli.token;

import dev.bkv.cli.TokenOptions;
import dev.bkv.pkcs11.Pkcs11Config;
import dev.bkv.pkcs11.TokenInitializer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code bkv token init}: creates a SoftHSM2 token for development and CI. */
@Command(
    name = "init",
    description = {
      "Create the token named in the config in a free slot (SoftHSM2; dev and CI only).",
      "Uses pkcs11.token-label, pkcs11.so-pin and pkcs11.user-pin from the config.",
      "Real HSMs are initialised with their vendors' tools."
    })
public final class TokenInit implements Callable<Integer> {
  @Mixin TokenOptions token;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Pkcs11Config config = token.config();
    TokenInitializer.initialize(config);
    spec.commandLine().getOut().println("created " + config.token());
    return 0;
  }
}
