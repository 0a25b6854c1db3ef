package dev.bkv.node.service;

import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The first line of every evaluation log file that a rotation started: the file it follows, by
 * name, with the SHA-256 of that file's whole content (its own first line included, so the
 * hashes chain back to the first file) and its line count. A file without such a line starts
 * its chain.
 *
 * <pre>
 * previous &lt;file name&gt; sha256:&lt;64 hex&gt; lines:&lt;n&gt;
 * </pre>
 *
 * @param previous the predecessor's file name (no directory: operators may move it)
 * @param sha256 SHA-256 of the predecessor's bytes
 * @param lines the predecessor's line count
 */
public record EvaluationLogHeader(String previous, byte[] sha256, long lines) {
  private static final Pattern LINE = Pattern.compile(
      "previous ([A-Za-z0-9._-]+) sha256:([0-9a-f]{64}) lines:([0-9]{1,18})");

  public EvaluationLogHeader {
    if (!previous.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("evaluation log file name '" + previous
          + "' has characters other than letters, digits, '.', '_' and '-'");
    }
    if (sha256.length != 32) {
      throw new IllegalArgumentException("SHA-256 is " + sha256.length + " bytes; expected 32");
    }
    if (lines < 0) {
      throw new IllegalArgumentException("line count " + lines + " is negative");
    }
    sha256 = sha256.clone();
  }

  @Override
  public byte[] sha256() {
    return sha256.clone();
  }

  /** Whether {@code line} is meant as a header (it may still be malformed). */
  static boolean isHeader(String line) {
    return line.startsWith("previous ");
  }

  /** The header in {@code line}, or null if the line is an event, not a header. */
  static EvaluationLogHeader parse(String line) {
    Matcher m = LINE.matcher(line);
    if (!m.matches()) {
      return null;
    }
    return new EvaluationLogHeader(m.group(1), HexFormat.of().parseHex(m.group(2)),
        Long.parseLong(m.group(3)));
  }

  /** The line, without its newline. */
  String toLine() {
    return "previous " + previous + " sha256:" + HexFormat.of().formatHex(sha256) + " lines:"
        + lines;
  }

  String shaHex() {
    return HexFormat.of().formatHex(sha256);
  }
}
