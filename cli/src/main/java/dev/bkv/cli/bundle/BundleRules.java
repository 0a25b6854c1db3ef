package dev.bkv.cli.bundle;

import dev.bkv.cli.CliException;
import dev.bkv.transparency.VerifierKey;
import dev.bkv.transparency.WitnessPolicy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * What a client pins to accept a cosigned bundle (DESIGN.md §5): the cosigner and operator keys,
 * the cosigner's log for consistency proofs, the witnesses that must have cosigned the
 * checkpoint, and the clock with its allowed skew. The options of
 * {@code bkv bundle verify}, and of the bundle mode of every {@code bkv client} command.
 */
public class BundleRules {
  @Option(names = "--cosigner-key", required = true, paramLabel = "VKEY",
      description = "Pinned cosigner verifier key (or a file holding it).")
  String cosignerKey;

  @Option(names = "--operator-key", required = true, paramLabel = "VKEY",
      description = "Pinned operator verifier key (or a file holding it).")
  String operatorKey;

  @Option(names = "--log", paramLabel = "DIR",
      description = "The cosigner's log (static files), for consistency proofs.")
  Path log;

  @Option(names = "--witness", paramLabel = "VKEY",
      description = "A witness whose cosignature the checkpoint may carry (a verifier key, or a"
          + " file of keys one per line); repeatable. Needs --witness-threshold.")
  List<String> witnesses;

  @Option(names = "--witness-threshold", paramLabel = "K",
      description = "Refuse the bundle unless at least K of the --witness keys cosigned its"
          + " checkpoint (default: no witness required).")
  Integer witnessThreshold;

  @Option(names = "--skew", paramLabel = "D", defaultValue = "5m",
      description = "Allowed clock skew around the bundle's validity (default ${DEFAULT-VALUE}).")
  String skew;

  @Option(names = "--now", paramLabel = "T", description = "Current time (default: the clock).")
  String now;

  public VerifierKey cosigner() throws CliException {
    return BundleCli.logKey("--cosigner-key", cosignerKey);
  }

  /** The witnesses required on the bundle's checkpoint ({@link WitnessPolicy#NONE} if none). */
  public WitnessPolicy witnesses() throws CliException {
    return BundleCli.witnessPolicy(witnesses, witnessThreshold);
  }

  public VerifierKey operator() throws CliException {
    return BundleCli.verifierKey("--operator-key", operatorKey);
  }

  /** The cosigner's log directory, or null. */
  public Path log() {
    return log;
  }

  public Duration skew() throws CliException {
    return BundleCli.duration("--skew", skew);
  }

  /** The clock {@code --now} fixes, else the system clock. */
  public Clock clock() throws CliException {
    return now == null ? Clock.systemUTC()
        : Clock.fixed(BundleCli.instant("--now", now), ZoneOffset.UTC);
  }
}
