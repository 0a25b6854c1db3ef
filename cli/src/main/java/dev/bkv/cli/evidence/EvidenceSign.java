package dev.bkv.cli.evidence;

import dev.bkv.ceremony.SplitCeremony;
import dev.bkv.cli.TokenOptions;
import dev.bkv.evidence.Envelope;
import dev.bkv.pkcs11.Pkcs11Token;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bkv evidence sign}: adds one member's or the operator's DSSE signature. */
@Command(name = "sign", description = {
    "Add this token's DSSE signature to an evidence envelope, in place: as the member whose"
        + " identity key it holds (only if the token still matches its section of the payload) or"
        + " as the operator."})
public final class EvidenceSign implements Callable<Integer> {
  @Mixin TokenOptions token;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The evidence envelope (evidence.dsse.json).")
  Path file;

  @Override
  public Integer call() throws Exception {
    try (Pkcs11Token t = token.open()) {
      Envelope env = SplitCeremony.sign(Envelope.read(file), t);
      env.write(file);
      spec.commandLine().getOut().printf("signed %s with token %s (%d signatures now)%n", file,
          t.info().label(), env.signatures().size());
      return 0;
    }
  }
}
