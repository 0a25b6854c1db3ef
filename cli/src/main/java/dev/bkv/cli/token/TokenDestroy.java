package dev.bkv.cli.token;

import dev.bkv.cli.CliException;
import dev.bkv.cli.ExitCodes;
import dev.bkv.cli.TokenOptions;
import dev.bkv.pkcs11.Pkcs11Token;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bkv token destroy}: destroy every object with a label. */
@Command(name = "destroy", description = "Destroy every object with this label (both halves of a key pair).")
public final class TokenDestroy implements Callable<Integer> {
  @Mixin TokenOptions token;
  @Spec CommandSpec spec;

  @Option(names = "--label", required = true, description = "CKA_LABEL of the objects to destroy.")
  String label;

  @Override
  public Integer call() throws Exception {
    int n;
    try (Pkcs11Token t = token.open()) {
      n = t.keys().destroyAll(label);
    }
    if (n == 0) {
      throw new CliException(ExitCodes.NOT_FOUND, "no object labelled '" + label + "' on the token");
    }
    spec.commandLine().getOut().printf("destroyed %d object(s) labelled '%s'%n", n, label);
    return 0;
  }
}
