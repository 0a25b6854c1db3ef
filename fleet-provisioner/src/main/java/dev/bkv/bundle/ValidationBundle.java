package dev.bkv.bundle;

import dev.bkv.crypto.Sha256;
import dev.bkv.transparency.Sha256Hash;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A validation bundle: the text of a C2SP signed note that tells clients which fleet to trust.
 *
 * <pre>
 * bkv.dev/validation-bundle/v1
 * fleet &lt;fleet id&gt;
 * epoch &lt;n&gt;
 * not-before &lt;RFC 3339 UTC, seconds&gt;
 * not-after &lt;RFC 3339 UTC, seconds&gt;
 * prev &lt;hex SHA-256 of the previous bundle text | none (epoch 1 only)&gt;
 * evidence &lt;hex SHA-256 of the deployment evidence payload&gt;
 * ake &lt;fleet AKE public key, hex P-256 point&gt;
 * member &lt;member id&gt; &lt;identity key, hex P-256 point&gt;   (one or more, sorted by id)
 * </pre>
 *
 * <p>{@link #parse} accepts exactly the text {@link #toText()} produces: anything else (extra
 * spaces, unsorted members, leading zeros, a missing final newline) is refused.
 *
 * @param prev the previous bundle's hash; null exactly when {@code epoch == 1}
 */
public record ValidationBundle(String fleetId, long epoch, Instant notBefore, Instant notAfter,
    Sha256Hash prev, Sha256Hash evidence, String akeKey, List<BundleMember> members) {

  /** The first line of every bundle (the note's origin). */
  public static final String ORIGIN = "bkv.dev/validation-bundle/v1";

  static final Pattern FLEET_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,31}");
  private static final Pattern EPOCH = Pattern.compile("[1-9][0-9]{0,17}");
  private static final Pattern TIME =
      Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z");
  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

  public ValidationBundle {
    if (fleetId == null || !FLEET_ID.matcher(fleetId).matches()) {
      throw new IllegalArgumentException("fleet id '" + fleetId
          + "' is invalid; expected 1..32 of a-z 0-9 . _ - starting with a letter or digit");
    }
    if (epoch < 1) {
      throw new IllegalArgumentException("epoch is " + epoch + "; expected >= 1");
    }
    if (notBefore.getNano() != 0 || notAfter.getNano() != 0 || !notBefore.isBefore(notAfter)) {
      throw new IllegalArgumentException("validity window " + notBefore + " .. " + notAfter
          + " is invalid; expected whole seconds and not-before < not-after");
    }
    if ((epoch == 1) != (prev == null)) {
      throw new IllegalArgumentException("epoch " + epoch + (prev == null
          ? " needs the hash of the previous bundle" : " is the first; its prev must be none"));
    }
    String problem = P256Points.problem(akeKey);
    if (problem != null) {
      throw new IllegalArgumentException("fleet AKE key " + problem);
    }
    members = List.copyOf(members);
    if (members.isEmpty()) {
      throw new IllegalArgumentException("a bundle lists at least one member");
    }
    for (int i = 1; i < members.size(); i++) {
      if (members.get(i - 1).id().compareTo(members.get(i).id()) >= 0) {
        throw new IllegalArgumentException("members must be sorted by id without repeats; '"
            + members.get(i).id() + "' follows '" + members.get(i - 1).id() + "'");
      }
    }
  }

  /** The note text, ending in a newline. */
  public String toText() {
    StringBuilder b = new StringBuilder(ORIGIN).append('\n')
        .append("fleet ").append(fleetId).append('\n')
        .append("epoch ").append(epoch).append('\n')
        .append("not-before ").append(notBefore).append('\n')
        .append("not-after ").append(notAfter).append('\n')
        .append("prev ").append(prev == null ? "none" : prev.toHex()).append('\n')
        .append("evidence ").append(evidence.toHex()).append('\n')
        .append("ake ").append(akeKey).append('\n');
    for (BundleMember m : members) {
      b.append("member ").append(m.id()).append(' ').append(m.identityKey()).append('\n');
    }
    return b.toString();
  }

  /** SHA-256 of the text: what the next epoch's {@code prev} must be. */
  public Sha256Hash hash() {
    return hashOf(toText());
  }

  /** SHA-256 of a bundle text's UTF-8 bytes. */
  public static Sha256Hash hashOf(String text) {
    return hashOf(text.getBytes(StandardCharsets.UTF_8));
  }

  /** SHA-256 of some bytes. */
  public static Sha256Hash hashOf(byte[] bytes) {
    return new Sha256Hash(Sha256.hash(bytes));
  }

  /** Parses a bundle text strictly; the message of any error names the line and the value. */
  public static ValidationBundle parse(String text) throws MalformedBundleException {
    if (text == null || !text.endsWith("\n")) {
      throw new MalformedBundleException("bundle text does not end with a newline");
    }
    String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
    if (lines.length < 9) {
      throw new MalformedBundleException("bundle has " + lines.length
          + " lines; expected at least 9 (origin, 7 fields, one member)");
    }
    if (!lines[0].equals(ORIGIN)) {
      throw new MalformedBundleException("bundle origin is '" + lines[0] + "'; expected '"
          + ORIGIN + "'");
    }
    String fleet = field(lines, 1, "fleet", FLEET_ID);
    long epoch = Long.parseLong(field(lines, 2, "epoch", EPOCH));
    Instant notBefore = time(lines, 3, "not-before");
    Instant notAfter = time(lines, 4, "not-after");
    String prevText = field(lines, 5, "prev", Pattern.compile("none|[0-9a-f]{64}"));
    Sha256Hash prev = prevText.equals("none") ? null : hex(prevText);
    Sha256Hash evidence = hex(field(lines, 6, "evidence", HASH));
    String ake = field(lines, 7, "ake", Pattern.compile("\\S+"));
    List<BundleMember> members = new ArrayList<>();
    for (int i = 8; i < lines.length; i++) {
      String[] parts = field(lines, i, "member", Pattern.compile("\\S+ \\S+")).split(" ");
      try {
        members.add(new BundleMember(parts[0], parts[1]));
      } catch (IllegalArgumentException e) {
        throw new MalformedBundleException("bundle line " + (i + 1) + ": " + e.getMessage());
      }
    }
    try {
      ValidationBundle b = new ValidationBundle(fleet, epoch, notBefore, notAfter, prev, evidence,
          ake, members);
      if (!b.toText().equals(text)) {
        throw new MalformedBundleException("bundle text is not in canonical form");
      }
      return b;
    } catch (IllegalArgumentException e) {
      throw new MalformedBundleException("bundle: " + e.getMessage());
    }
  }

  private static String field(String[] lines, int i, String key, Pattern value)
      throws MalformedBundleException {
    String line = lines[i];
    String prefix = key + " ";
    if (!line.startsWith(prefix) || !value.matcher(line.substring(prefix.length())).matches()) {
      throw new MalformedBundleException("bundle line " + (i + 1) + " is '"
          + P256Points.shorten(line) + "'; expected '" + key + " <" + key + ">' ("
          + value.pattern() + ")");
    }
    return line.substring(prefix.length());
  }

  private static Instant time(String[] lines, int i, String key) throws MalformedBundleException {
    String value = field(lines, i, key, TIME);
    try {
      Instant t = Instant.parse(value);
      if (!t.truncatedTo(ChronoUnit.SECONDS).toString().equals(value)) {
        throw new MalformedBundleException("bundle " + key + " " + value + " is not canonical");
      }
      return t;
    } catch (DateTimeParseException e) {
      throw new MalformedBundleException("bundle " + key + " '" + value
          + "' is not a valid RFC 3339 UTC time");
    }
  }

  private static Sha256Hash hex(String hex) {
    return new Sha256Hash(HexFormat.of().parseHex(hex));
  }
}
