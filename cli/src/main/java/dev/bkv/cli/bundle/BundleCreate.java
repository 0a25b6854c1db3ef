package dev.bkv.cli.bundle;

import dev.bkv.bundle.EvidenceFacts;
import dev.bkv.bundle.ValidationBundle;
import dev.bkv.cli.CliException;
import dev.bkv.cli.ExitCodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bkv bundle create}: the operator writes the next epoch's bundle from its evidence. */
@Command(name = "create", description = {
    "Write a validation bundle text: fleet id, epoch, AKE key and members are taken from the"
        + " evidence payload, evidence = its SHA-256, prev = SHA-256 of --prev (the previous"
        + " epoch's bundle text; required after epoch 1). Validity: --not-before (default --now)"
        + " until --not-after or for --valid-for."})
public final class BundleCreate implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--evidence", required = true, paramLabel = "FILE",
      description = "The epoch's deployment evidence (evidence.dsse.json).")
  Path evidence;

  @Option(names = "--prev", paramLabel = "FILE", description = "The previous bundle's text.")
  Path prev;

  @Option(names = "--not-before", paramLabel = "T", description = "RFC 3339 UTC time.")
  String notBefore;

  @Option(names = "--not-after", paramLabel = "T", description = "RFC 3339 UTC time.")
  String notAfter;

  @Option(names = "--valid-for", paramLabel = "D", defaultValue = "30d",
      description = "Used without --not-after (default ${DEFAULT-VALUE}).")
  String validFor;

  @Option(names = "--now", paramLabel = "T", description = "Current time (for reproducible runs).")
  String now;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Bundle text file.")
  Path out;

  @Override
  public Integer call() throws Exception {
    Instant clock = now == null ? Instant.now() : BundleCli.instant("--now", now);
    Instant from = (notBefore == null ? clock : BundleCli.instant("--not-before", notBefore))
        .truncatedTo(ChronoUnit.SECONDS);
    Instant until = notAfter != null ? BundleCli.instant("--not-after", notAfter)
        : from.plus(BundleCli.duration("--valid-for", validFor));
    EvidenceFacts facts = EvidenceFacts.read(BundleCli.read("evidence", evidence));
    ValidationBundle previous = null;
    if (prev != null) {
      previous = ValidationBundle.parse(
          new String(BundleCli.read("previous bundle", prev), StandardCharsets.UTF_8));
      if (previous.epoch() != facts.epoch() - 1) {
        throw new CliException(ExitCodes.CHECK_FAILED, "--prev is epoch " + previous.epoch()
            + "; the evidence is for epoch " + facts.epoch());
      }
    } else if (facts.epoch() != 1) {
      throw new CliException(ExitCodes.USAGE, "the evidence is for epoch " + facts.epoch()
          + "; give the previous bundle with --prev");
    }
    ValidationBundle b;
    try {
      b = new ValidationBundle(facts.fleetId(), facts.epoch(), from,
          until.truncatedTo(ChronoUnit.SECONDS), previous == null ? null : previous.hash(),
          facts.payloadHash(), facts.akeKey(), facts.members());
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
    }
    BundleCli.write(out, b.toText().getBytes(StandardCharsets.UTF_8));
    spec.commandLine().getOut().print(b.toText());
    spec.commandLine().getOut().flush();
    spec.commandLine().getErr().printf("wrote %s (epoch %d, sha256 %s)%n", out, b.epoch(),
        b.hash().toHex());
    return ExitCodes.OK;
  }
}
