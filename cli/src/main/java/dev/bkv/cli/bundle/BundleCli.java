package dev.bkv.cli.bundle;

import dev.bkv.bundle.EquivocationException;
import dev.bkv.cli.CliException;
import dev.bkv.cli.ErrorMapping;
import dev.bkv.cli.ExitCodes;
import dev.bkv.transparency.MalformedInputException;
import dev.bkv.transparency.DurableFiles;
import dev.bkv.transparency.VerifierKey;
import dev.bkv.transparency.WitnessPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shared by {@code bkv cosigner}, {@code bkv bundle} and {@code bkv log}: the proof saved for an
 * equivocation, and parsing of verifier keys, times and durations given on the command line.
 * A bundle error's exit code and line are {@link ErrorMapping}'s.
 */
public final class BundleCli {

  private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})([smhd])");

  private BundleCli() {}

  /**
   * An equivocation with its proof: both cosigner-signed notes for the epoch are saved beside
   * the client state file, in {@code STATE.equivocation-<epoch>}, so they can be handed on.
   */
  public static Exception equivocation(EquivocationException e, Path state)
      throws CliException {
    if (state == null || e.signedNotes().size() != 2) {
      return e;
    }
    Path proof = state.resolveSibling(state.getFileName() + ".equivocation-" + e.epoch());
    String text = "# bundle accepted earlier for epoch " + e.epoch() + "\n"
        + e.signedNotes().get(0) + "# conflicting bundle for the same epoch\n"
        + e.signedNotes().get(1);
    write(proof, text.getBytes(StandardCharsets.UTF_8));
    return new CliException(ErrorMapping.exitCode(e), e.getMessage() + "; both signed notes saved"
        + " in " + proof, e);
  }

  /** A verifier key given as the key string itself or as a file holding it. */
  public static VerifierKey verifierKey(String option, String value) throws CliException {
    String text = value;
    Path file = Path.of(value);
    if (Files.isRegularFile(file)) {
      try {
        text = Files.readString(file).strip();
      } catch (IOException e) {
        throw new CliException(ExitCodes.BAD_INPUT, option + ": cannot read " + value + ": " + e);
      }
    }
    try {
      return VerifierKey.parse(text);
    } catch (MalformedInputException e) {
      throw new CliException(ExitCodes.BAD_INPUT, option + ": " + e.getMessage(), e);
    }
  }

  /**
   * A log's own key (the cosigner's): as {@link #verifierKey}, but a witness's cosignature key
   * (type 0x04) is refused, so a cosignature can never stand in for the log's signature.
   */
  public static VerifierKey logKey(String option, String value) throws CliException {
    VerifierKey k = verifierKey(option, value);
    if (k.isCosignature()) {
      throw new CliException(ExitCodes.BAD_INPUT, option + ": " + k.name() + " is a witness's"
          + " cosignature key (type 0x04); give the log's own key (bkv cosigner init prints it)");
    }
    return k;
  }

  /**
   * The witness policy of {@code --witness} (each a verifier key, or a file holding one key per
   * line; blank lines and lines starting with '#' are skipped) and {@code --witness-threshold}:
   * none required when neither is given.
   */
  public static WitnessPolicy witnessPolicy(List<String> witnesses, Integer threshold)
      throws CliException {
    List<String> values = witnesses == null ? List.of() : witnesses;
    if (values.isEmpty() && (threshold == null || threshold == 0)) {
      return WitnessPolicy.NONE;
    }
    if (threshold == null) {
      throw new CliException(ExitCodes.USAGE, "--witness needs --witness-threshold K: how many"
          + " of the " + values.size() + " witness keys given must have cosigned");
    }
    List<VerifierKey> keys = new ArrayList<>();
    for (String v : values) {
      Path file = Path.of(v);
      List<String> lines;
      if (Files.isRegularFile(file)) {
        try {
          lines = Files.readAllLines(file).stream().map(String::strip)
              .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
          throw new CliException(ExitCodes.BAD_INPUT, "--witness: cannot read " + v + ": " + e);
        }
      } else {
        lines = List.of(v);
      }
      for (String line : lines) {
        keys.add(verifierKey("--witness", line));
      }
    }
    try {
      return WitnessPolicy.of(keys, threshold);
    } catch (MalformedInputException e) {
      throw new CliException(ExitCodes.USAGE, "--witness/--witness-threshold: " + e.getMessage(),
          e);
    }
  }

  /** An RFC 3339 UTC instant such as 2026-11-27T10:00:00Z. */
  public static Instant instant(String option, String value) throws CliException {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new CliException(ExitCodes.USAGE, option + " '" + value
          + "' is not an RFC 3339 UTC time such as 2026-11-27T10:00:00Z");
    }
  }

  /** A duration: {@code 90s}, {@code 5m}, {@code 12h}, {@code 30d} or ISO-8601 {@code PT5M}. */
  public static Duration duration(String option, String value) throws CliException {
    Matcher m = DURATION.matcher(value);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      Duration d = Duration.parse(value);
      if (!d.isNegative()) {
        return d;
      }
    } catch (DateTimeParseException e) {
      // reported below
    }
    throw new CliException(ExitCodes.USAGE, option + " '" + value
        + "' is not a duration such as 90s, 5m, 12h, 30d or PT5M");
  }

  /** Writes a file atomically (temp file, fsync, rename). */
  public static void write(Path file, byte[] data) throws CliException {
    try {
      Path abs = file.toAbsolutePath();
      DurableFiles.createDirectories(abs.getParent());
      DurableFiles.replace(abs, data);
    } catch (IOException e) {
      throw new CliException(ExitCodes.BAD_INPUT, "cannot write " + file + ": " + e, e);
    }
  }

  /** Reads a file, mapping failures to a one-line BAD_INPUT error. */
  public static byte[] read(String what, Path file) throws CliException {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new CliException(ExitCodes.BAD_INPUT, "cannot read " + what + " " + file + ": "
          + e.getClass().getSimpleName().replace("Exception", "") + " " + e.getMessage());
    }
  }
}
