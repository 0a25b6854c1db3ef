package dev.bkv.cli.bundle;

import dev.bkv.bundle.HsmNoteSigner;
import dev.bkv.cli.TokenOptions;
import dev.bkv.pkcs11.HsmException;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.transparency.MalformedInputException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The operator's ECDSA P-256 countersigning key on its token. */
public final class OperatorKeyOptions {
  @Mixin TokenOptions token;

  @Option(names = "--label", defaultValue = "operator/countersign", paramLabel = "L",
      description = "Label of the operator's P-256 signing key (default ${DEFAULT-VALUE}).")
  String label;

  @Option(names = "--name", defaultValue = "bkv-operator", paramLabel = "NAME",
      description = "Key name in the operator's verifier key (default ${DEFAULT-VALUE}).")
  String name;

  Pkcs11Token open() throws HsmException {
    return token.open();
  }

  HsmNoteSigner signer(Pkcs11Token t) throws HsmException, MalformedInputException {
    return HsmNoteSigner.ecdsa(name, t.keys().findEcP256(label));
  }
}
