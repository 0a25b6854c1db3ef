package dev.bkv.cli.client;

import dev.bkv.bundle.BundleException;
import dev.bkv.bundle.EquivocationException;
import dev.bkv.cli.CliException;
import dev.bkv.cli.ErrorMapping;
import dev.bkv.cli.ExitCodes;
import dev.bkv.cli.JsonOutput;
import dev.bkv.cli.bundle.BundleCli;
import dev.bkv.cli.bundle.BundleRules;
import dev.bkv.client.BundleTrustAnchor;
import dev.bkv.client.PinnedFleetKey;
import dev.bkv.client.TrustAnchor;
import dev.bkv.recovery.BadInputException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * How a {@code bkv client} command tells the real fleet from an impostor (DESIGN.md §5): either
 * a pinned AKE key ({@code --fleet-key}) or a cosigned validation bundle checked under the pinned
 * cosigner and operator keys ({@code --bundle} with {@code --cosigner-key}, {@code
 * --operator-key} and {@code --state}, as for {@code bkv bundle verify}).
 */
public final class TrustOptions {
  @Option(names = "--fleet-key", paramLabel = "HEX|@FILE",
      description = "Pinned mode: the fleet's AKE public key (hex, or @FILE holding the hex).")
  String fleetKey;

  @ArgGroup(exclusive = false, heading = "Bundle mode (instead of --fleet-key):%n")
  Bundle bundle;

  /** Bundle mode: the options of {@code bkv bundle verify}, applied before every command. */
  public static final class Bundle extends BundleRules {
    @Option(names = "--bundle", required = true, paramLabel = "FILE",
        description = "The fleet's cosigned validation bundle (BUNDLE.cosigned).")
    Path file;

    @Option(names = "--state", required = true, paramLabel = "FILE",
        description = "Last accepted bundle, for rollback protection (created if absent;"
            + " updated only when the bundle is accepted).")
    Path state;
  }

  /**
   * The trust anchor: the pinned key, or the bundle once it passed every rule (then the state
   * file is updated). A refused bundle is one line naming the rule and the exit code of {@code
   * bkv bundle verify}; with {@code json} its outcome is printed on {@code out} too.
   */
  TrustAnchor anchor(boolean json, PrintWriter out) throws Exception {
    if ((fleetKey == null) == (bundle == null)) {
      throw new CliException(ExitCodes.USAGE, fleetKey == null
          ? "say how to trust the fleet: --fleet-key HEX (pinned mode), or --bundle FILE with"
              + " --cosigner-key, --operator-key and --state (bundle mode)"
          : "--fleet-key (pinned mode) and --bundle (bundle mode) exclude each other; give one");
    }
    if (bundle == null) {
      String hex = fleetKey.startsWith("@") ? Files.readString(Path.of(fleetKey.substring(1)))
          : fleetKey;
      try {
        return PinnedFleetKey.ofHex(hex);
      } catch (BadInputException e) {
        throw new CliException(ExitCodes.BAD_INPUT, "--fleet-key: " + e.getMessage(), e);
      }
    }
    Bundle b = bundle;
    Clock clock = b.clock();
    BundleTrustAnchor.Builder builder = BundleTrustAnchor.builder(b.cosigner(), b.operator())
        .clock(clock).skew(b.skew()).stateFile(b.state).witnesses(b.witnesses());
    if (b.log() != null) {
      builder.log(b.log());
    }
    byte[] text = BundleCli.read("cosigned bundle", b.file);
    try {
      return builder.accept(text);
    } catch (BundleException e) {
      Exception failure = e instanceof EquivocationException q
          ? BundleCli.equivocation(q, b.state) : e;
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("result", "untrusted-bundle");
        m.put("reason", e.reason().name());
        m.put("exitCode", ErrorMapping.exitCode(failure));
        m.put("message", ErrorMapping.line(failure));
        out.println(JsonOutput.write(m));
        out.flush();
      }
      throw failure;
    }
  }
}
