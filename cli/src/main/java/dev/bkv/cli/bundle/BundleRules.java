package dev.bkv.cli.bundle;

import dev.bkv.cli.CliException;
import dev.bkv.transparency.VerifierKey;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import picocli.CommandLine.Option;

/**
 * What a client pins to accept a cosigned bundle (DESIGN.md §5): the cosigner and operator keys,
 * the cosigner's log for consistency proofs, and the clock with its allowed skew. The options of
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

  @Option(names = "--skew", paramLabel = "D", defaultValue = "5m",
      description = "Allowed clock skew around the bundle's validity (default ${DEFAULT-VALUE}).")
  String skew;

  @Option(names = "--now", paramLabel = "T", description = "Current time (default: the clock).")
  String now;

  public VerifierKey cosigner() throws CliException {
    return BundleCli.verifierKey("--cosigner-key", cosignerKey);
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
