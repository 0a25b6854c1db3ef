package dev.bkv.node.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads a member's evaluation log as the auditor must: every file of it, oldest first, from the
 * active file back through the files its rotations left ({@link EvaluationLogFile}). Each step
 * back checks that the predecessor a header names is there and has the SHA-256 and line count
 * the header recorded, so that a count over a user's window that spans a rotation sees every
 * line, or the reader says which file is missing or altered and refuses to answer.
 *
 * <p>Rotated files are looked for beside the active file and then in the archive directories
 * the operator moved them to. A chain ends at a file without a header (the member's first) or
 * at {@code startAt}, the first file an auditor chooses to read (older ones deleted after an
 * earlier audit). The active file's own last lines are covered by no hash: a member's last
 * file is only as good as the host that kept it.
 */
public final class EvaluationLogChain {
  /** One event line: the file it is in and its line number there (1-based, header counted). */
  public record Line(Path file, int number, String text) {
    public String where() {
      Path dir = file.getParent();
      return (dir == null || dir.getFileName() == null ? "" : dir.getFileName() + "/")
          + file.getFileName() + ":" + number;
    }
  }

  /** The chain has a gap: a file is missing, altered, or outside it. */
  public static final class BrokenChainException extends IOException {
    private static final long serialVersionUID = 1L;

    BrokenChainException(String message) {
      super(message);
    }
  }

  private EvaluationLogChain() {}

  /**
   * The files of the chain that ends at {@code active}, oldest first; empty if the member never
   * wrote one.
   *
   * @param archives directories to look for rotated files in after the active file's own
   * @param startAt file name to start at (its predecessors are not read), or null for the whole
   *     chain
   */
  public static List<Path> files(Path active, List<Path> archives, String startAt)
      throws IOException {
    Path dir = active.toAbsolutePath().getParent();
    String name = active.getFileName().toString();
    Path next = dir.resolve(name + ".next");
    if (Files.exists(next)) {
      throw new BrokenChainException(next + " is left from a rotation a crash interrupted: "
          + "start the member once (it finishes the rotation) before reading its log");
    }
    List<Path> chain = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Path current = active.toAbsolutePath();
    if (Files.exists(current)) {
      while (true) {
        chain.add(current);
        names.add(current.getFileName().toString());
        EvaluationLogHeader h = header(current);
        if (h == null || current.getFileName().toString().equals(startAt)) {
          break;
        }
        Path previous = locate(h.previous(), dir, archives);
        if (previous == null) {
          throw new BrokenChainException(current.getFileName() + " follows " + h.previous()
              + " (sha256 " + h.shaHex() + ", " + h.lines() + " lines), which is in none of "
              + searched(dir, archives) + ": a window spanning it cannot be counted");
        }
        if (!names.add(h.previous())) {
          throw new BrokenChainException(current.getFileName() + " names " + h.previous()
              + " as its predecessor, which is already later in the chain");
        }
        byte[] sha = EvaluationLogFile.hashOf(previous);
        if (!MessageDigest.isEqual(sha, h.sha256())) {
          throw new BrokenChainException(previous + " has sha256 " + HexFormat.of().formatHex(sha)
              + " and " + lineCount(previous) + " lines, but " + current.getFileName()
              + " recorded sha256 " + h.shaHex() + " and " + h.lines() + " lines for it when "
              + "the log rotated: it was altered or truncated since");
        }
        current = previous;
      }
    }
    checkNoneLeftOut(dir, name, names, startAt);
    Collections.reverse(chain);
    return chain;
  }

  /** The event lines (headers left out) of the whole chain ending at {@code active}. */
  public static List<Line> lines(Path active, List<Path> archives, String startAt)
      throws IOException {
    List<Line> out = new ArrayList<>();
    for (Path f : files(active, archives, startAt)) {
      int n = 0;
      for (String text : Files.readAllLines(f, StandardCharsets.US_ASCII)) {
        n++;
        if (n == 1 && EvaluationLogHeader.isHeader(text)) {
          continue;
        }
        out.add(new Line(f, n, text));
      }
    }
    return out;
  }

  /** The event lines of the whole chain ending at {@code active}, rotated files beside it. */
  public static List<Line> lines(Path active) throws IOException {
    return lines(active, List.of(), null);
  }

  private static EvaluationLogHeader header(Path file) throws IOException {
    String first;
    try (var r = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
      first = r.readLine();
    }
    if (first == null || !EvaluationLogHeader.isHeader(first)) {
      return null;
    }
    EvaluationLogHeader h = EvaluationLogHeader.parse(first);
    if (h == null) {
      throw new BrokenChainException(file + ":1: malformed header '" + first
          + "'; expected 'previous <file> sha256:<64 hex> lines:<n>'");
    }
    return h;
  }

  private static Path locate(String name, Path dir, List<Path> archives) {
    if (Files.isRegularFile(dir.resolve(name))) {
      return dir.resolve(name);
    }
    for (Path a : archives) {
      if (Files.isRegularFile(a.resolve(name))) {
        return a.resolve(name);
      }
    }
    return null;
  }

  private static String searched(Path dir, List<Path> archives) {
    List<String> all = new ArrayList<>();
    all.add(dir.toString());
    archives.forEach(a -> all.add(a.toString()));
    return all.toString();
  }

  /**
   * A rotated file beside the active one that the chain does not reach means lines the walk
   * would skip: the active file was deleted or replaced and a new chain begun. Files numbered
   * below {@code startAt} are the auditor's choice to leave out.
   */
  private static void checkNoneLeftOut(Path dir, String name, Set<String> chain, String startAt)
      throws IOException {
    Pattern rotated = EvaluationLogFile.rotatedNamePattern(name);
    long floor = -1;
    if (startAt != null) {
      Matcher s = rotated.matcher(startAt);
      floor = s.matches() ? Long.parseLong(s.group(1)) : -1;
    }
    List<String> left = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String f = p.getFileName().toString();
        Matcher m = rotated.matcher(f);
        if (m.matches() && !chain.contains(f) && Long.parseLong(m.group(1)) > floor) {
          left.add(f);
        }
      }
    }
    if (!left.isEmpty()) {
      Collections.sort(left);
      throw new BrokenChainException(left + " in " + dir + " are not in the chain that ends at "
          + name + ": the log was restarted or a header replaced, and their windows would be "
          + "counted apart from the rest");
    }
  }

  private static long lineCount(Path file) throws IOException {
    try (Stream<String> l = Files.lines(file, StandardCharsets.ISO_8859_1)) {
      return l.count();
    }
  }
}
