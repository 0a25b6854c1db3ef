package dev.bkv.bundle;

import dev.bkv.transparency.Sha256Hash;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A retirement entry of the cosigner's log: the text that says an epoch's keys are gone.
 *
 * <pre>
 * bkv.dev/fleet-retirement/v1
 * fleet &lt;fleet id&gt;
 * epoch &lt;retired epoch&gt;
 * bundle &lt;hex SHA-256 of the retired epoch's bundle text&gt;
 * statement &lt;hex SHA-256 of the retirement statement payload&gt;
 * records &lt;records left at retirement&gt;
 * time &lt;RFC 3339 UTC, seconds: when the operator signed the statement&gt;
 * </pre>
 *
 * <p>Like {@link ValidationBundle}, {@link #parse} accepts exactly what {@link #toText()} gives.
 */
public record RetirementEntry(String fleetId, long epoch, Sha256Hash bundle, Sha256Hash statement,
    long records, Instant time) {

  /** The first line of every retirement entry (its note's origin). */
  public static final String ORIGIN = "bkv.dev/fleet-retirement/v1";

  private static final Pattern NUMBER = Pattern.compile("0|[1-9][0-9]{0,17}");
  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern TIME =
      Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z");
  private static final String[] KEYS = {"fleet", "epoch", "bundle", "statement", "records", "time"};

  public RetirementEntry {
    if (fleetId == null || !ValidationBundle.FLEET_ID.matcher(fleetId).matches()) {
      throw new IllegalArgumentException("fleet id '" + fleetId + "' is invalid");
    }
    if (epoch < 1) {
      throw new IllegalArgumentException("retired epoch is " + epoch + "; expected >= 1");
    }
    if (records < 0) {
      throw new IllegalArgumentException("record count is " + records + "; expected >= 0");
    }
    if (bundle == null || statement == null || time == null || time.getNano() != 0) {
      throw new IllegalArgumentException("a retirement names the bundle, the statement and a"
          + " time in whole seconds");
    }
  }

  /** Whether a log entry's text is a retirement (rather than a bundle). */
  public static boolean isRetirement(String text) {
    return text.startsWith(ORIGIN + "\n");
  }

  /** The entry text, ending in a newline. */
  public String toText() {
    return ORIGIN + "\n" + "fleet " + fleetId + "\n" + "epoch " + epoch + "\n"
        + "bundle " + bundle.toHex() + "\n" + "statement " + statement.toHex() + "\n"
        + "records " + records + "\n" + "time " + time + "\n";
  }

  /** Parses an entry strictly; errors name the line and the value. */
  public static RetirementEntry parse(String text) throws MalformedBundleException {
    if (text == null || !text.endsWith("\n")) {
      throw new MalformedBundleException("retirement entry does not end with a newline");
    }
    String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
    if (lines.length != KEYS.length + 1 || !lines[0].equals(ORIGIN)) {
      throw new MalformedBundleException("retirement entry has " + lines.length
          + " lines starting '" + P256Points.shorten(lines[0]) + "'; expected " + (KEYS.length + 1)
          + " starting '" + ORIGIN + "'");
    }
    String[] v = new String[KEYS.length];
    Pattern[] shapes = {ValidationBundle.FLEET_ID, NUMBER, HASH, HASH, NUMBER, TIME};
    for (int i = 0; i < KEYS.length; i++) {
      String prefix = KEYS[i] + " ";
      String line = lines[i + 1];
      if (!line.startsWith(prefix) || !shapes[i].matcher(line.substring(prefix.length())).matches()) {
        throw new MalformedBundleException("retirement line " + (i + 2) + " is '"
            + P256Points.shorten(line) + "'; expected '" + KEYS[i] + " <" + KEYS[i] + ">'");
      }
      v[i] = line.substring(prefix.length());
    }
    try {
      RetirementEntry e = new RetirementEntry(v[0], Long.parseLong(v[1]), hex(v[2]), hex(v[3]),
          Long.parseLong(v[4]), Instant.parse(v[5]));
      if (!e.toText().equals(text) || !e.time.truncatedTo(ChronoUnit.SECONDS).toString().equals(v[5])) {
        throw new MalformedBundleException("retirement entry is not in canonical form");
      }
      return e;
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new MalformedBundleException("retirement entry: " + e.getMessage());
    }
  }

  /** SHA-256 of the entry text. */
  public Sha256Hash hash() {
    return ValidationBundle.hashOf(toText().getBytes(StandardCharsets.UTF_8));
  }

  private static Sha256Hash hex(String hex) {
    return new Sha256Hash(HexFormat.of().parseHex(hex));
  }
}
