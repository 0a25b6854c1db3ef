package dev.bkv.cli.witness;

import dev.bkv.cli.CliException;
import dev.bkv.cli.ExitCodes;
import dev.bkv.cli.JsonOutput;
import dev.bkv.transparency.MalformedInputException;
import dev.bkv.transparency.Witness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bkv witness init}: a witness key and an empty state directory. */
@Command(name = "init", description = {
    "Create a witness in DIR: an Ed25519 cosignature key (witness.key, mode 0600) and its"
        + " verifier key (witness.vkey, signature type 0x04), which is printed. Give it to the"
        + " auditors and apps that are to require this witness (--witness)."})
public final class WitnessInit implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--state", required = true, paramLabel = "DIR",
      description = "Witness state directory.")
  Path state;

  @Option(names = "--name", required = true, paramLabel = "NAME",
      description = "Witness name, e.g. witness.example.com/w1 (no spaces, no '+').")
  String name;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (Files.exists(state.resolve(Witness.KEY_FILE))) {
      throw new CliException(ExitCodes.BAD_INPUT, "a witness already exists in " + state
          + "; refusing to replace its key");
    }
    Witness w;
    try {
      w = Witness.init(state, name, new SecureRandom(), Clock.systemUTC());
    } catch (MalformedInputException e) {
      throw new CliException(ExitCodes.USAGE, "--name: " + e.getMessage(), e);
    }
    String vkey = w.verifierKey().encode();
    var out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("state", state.toString());
      m.put("verifierKey", vkey);
      out.println(JsonOutput.write(m));
    } else {
      out.printf("witness %s initialised in %s%n", name, state);
      out.printf("verifier key: %s%n", vkey);
    }
    out.flush();
    return ExitCodes.OK;
  }
}
