package dev.bkv.cli.fleet;

import dev.bkv.bundle.ValidationBundle;
import dev.bkv.cli.CliException;
import dev.bkv.cli.ExitCodes;
import dev.bkv.cli.JsonOutput;
import dev.bkv.cli.Preflight;
import dev.bkv.cli.bundle.BundleCli;
import dev.bkv.evidence.Envelope;
import dev.bkv.evidence.FleetKey;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.check.Role;
import dev.bkv.retirement.OperatorRetirement;
import dev.bkv.retirement.RetirementFile;
import dev.bkv.retirement.RetirementVerifier;
import dev.bkv.transparency.MalformedInputException;
import dev.bkv.transparency.Note;
import dev.bkv.transparency.NoteLimits;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bkv fleet retire}: the operator's retirement statement for an epoch. */
@Command(name = "retire", description = {
    "Operator: check that every member of the epoch's bundle sent a valid read-back"
        + " ('retire-member', signed by the identity key the bundle lists, nothing left under the"
        + " epoch's prefix), then write the retirement statement signed by the operator's HSM key"
        + " with the read-backs, for 'bkv cosigner retire'.",
    "An epoch with records left is not retired: with --records above 0 the command refuses"
        + " unless --confirm is given."})
public final class FleetRetire implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--fleet-id", required = true, description = "Fleet id.")
  String fleetId;

  @Option(names = "--epoch", required = true, description = "The epoch to retire.")
  long epoch;

  @Option(names = "--operator", required = true, paramLabel = "FILE", description = "Config of the operator's token.")
  Path operator;

  @Option(names = "--bundle", required = true, paramLabel = "FILE",
      description = "The epoch's bundle: its text or the cosigner's signed note (bundles/E.note).")
  Path bundle;

  @Option(names = "--readback", required = true, arity = "1..*", paramLabel = "FILE",
      description = "Every member's read-back from 'retire-member'.")
  List<Path> readbacks = new ArrayList<>();

  @Option(names = "--records", required = true, paramLabel = "N",
      description = "Records the fleet still holds for the epoch ('bkv fleet status').")
  long records;

  @Option(names = "--confirm", description = "Retire even though --records is above 0.")
  boolean confirm;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "The retirement file to write.")
  Path out;

  @Option(names = "--time", paramLabel = "INSTANT", description = "Statement time (ISO-8601) instead of now.")
  String time;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    OperatorRetirement.requireNoRecords(epoch, records, confirm);
    ValidationBundle b = readBundle(bundle);
    if (!b.fleetId().equals(fleetId) || b.epoch() != epoch) {
      throw new CliException(ExitCodes.BAD_INPUT, "bundle " + bundle + " is of fleet "
          + b.fleetId() + " epoch " + b.epoch() + "; expected fleet " + fleetId + " epoch " + epoch);
    }
    List<Envelope> envs = new ArrayList<>();
    for (Path p : readbacks) {
      envs.add(Envelope.read(p));
    }
    RetirementFile file;
    try (Tokens tokens = new Tokens()) {
      Pkcs11Token op = tokens.open(operator);
      Preflight.require(op, Role.OPERATOR);
      file = OperatorRetirement.assemble(b, envs, records, confirm,
          op.keys().findEcP256(FleetKey.OPERATOR_COUNTERSIGN), Tokens.clock(time));
    }
    BundleCli.write(out, file.toBytes());
    var entry = RetirementVerifier.entry(file);
    PrintWriter w = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("fleetId", fleetId);
      m.put("epoch", epoch);
      m.put("members", b.members().size());
      m.put("records", records);
      m.put("statement", entry.statement().toHex());
      m.put("out", out.toString());
      w.println(JsonOutput.write(m));
    } else {
      w.printf("epoch %d of fleet %s: %d member read-backs verified, %d records left; statement"
          + " %s signed; wrote %s%n", epoch, fleetId, b.members().size(), records,
          entry.statement().toHex().substring(0, 16), out);
    }
    return 0;
  }

  /** A bundle text, or a signed note whose text is the bundle. */
  static ValidationBundle readBundle(Path file) throws Exception {
    byte[] bytes = BundleCli.read("bundle", file);
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (text.contains("\n\n")) {
      try {
        text = Note.parse(bytes, NoteLimits.DEFAULT).text();
      } catch (MalformedInputException e) {
        throw new CliException(ExitCodes.BAD_INPUT, "bundle " + file + " is neither a bundle"
            + " text nor a signed note: " + e.getMessage());
      }
    }
    return ValidationBundle.parse(text);
  }
}
