package dev.bkv.cli.fleet;

import dev.bkv.ceremony.MemberKeys;
import dev.bkv.cli.JsonOutput;
import dev.bkv.cli.JsonOption;
import dev.bkv.cli.TokenOptions;
import dev.bkv.evidence.EvidenceAssembler;
import dev.bkv.evidence.FleetKey;
import dev.bkv.pkcs11.EcPrivateKey;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.check.Role;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bkv fleet init-operator}: the operator's countersigning key. */
@Command(name = "init-operator", description = {
    "Generate operator/countersign (ECDSA P-256) on the operator's token if missing and print its"
        + " public key. 'fleet provision' and 'evidence prepare' also create it when missing."})
public final class FleetInitOperator implements Callable<Integer> {
  @Mixin TokenOptions token;
  @Spec CommandSpec spec;

  @Mixin JsonOption json;

  @Override
  public Integer call() throws Exception {
    try (Pkcs11Token t = token.openFor(Role.OPERATOR)) {
      EcPrivateKey k = MemberKeys.ensureOperator(t);
      PrintWriter w = spec.commandLine().getOut();
      String pub = EvidenceAssembler.publicHex(k);
      if (json.enabled()) {
        w.println(JsonOutput.write(Map.of("label", FleetKey.OPERATOR_COUNTERSIGN, "publicKey", pub,
            "keyid", EvidenceAssembler.keyId(k))));
      } else {
        w.printf("%s on token %s: %s%n", FleetKey.OPERATOR_COUNTERSIGN, t.info().label(), pub);
      }
      return 0;
    }
  }
}
