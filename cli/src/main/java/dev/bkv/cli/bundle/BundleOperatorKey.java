package dev.bkv.cli.bundle;

import dev.bkv.cli.ExitCodes;
import dev.bkv.pkcs11.Pkcs11Token;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code bkv bundle operator-key}: the verifier key clients pin for countersignatures. */
@Command(name = "operator-key",
    description = "Print the operator's verifier key (ECDSA P-256, type 0x02) for clients to pin.")
public final class BundleOperatorKey implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin OperatorKeyOptions key;

  @Override
  public Integer call() throws Exception {
    try (Pkcs11Token t = key.open()) {
      spec.commandLine().getOut().println(key.signer(t).verifierKey().encode());
    }
    return ExitCodes.OK;
  }
}
