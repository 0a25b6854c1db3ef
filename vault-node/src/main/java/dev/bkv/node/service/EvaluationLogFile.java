package dev.bkv.node.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The member's evaluation log on disk: one active file (the configured path) that rolls over
 * past {@code maxBytes}. The active file is renamed {@code <name>.<n>} (n = 000001, 000002, …)
 * and a new active file starts with an {@link EvaluationLogHeader} naming it, with its SHA-256
 * and line count, so that a reader walks back from the active file through every rotated one
 * and notices one that is missing or altered ({@link EvaluationLogChain}).
 *
 * <p>Durability is that of the single file: every line is written (not fsynced) before the call
 * returns, so it survives a crash of the process, and a power loss may drop the last lines. The
 * switch itself is made so that a crash at any point of it loses no line and breaks no chain:
 * the old file is fsynced (the header's hash must describe what is on disk), the new file is
 * first written whole as {@code <name>.next} and fsynced, then the old file is renamed to its
 * rotated name and {@code <name>.next} to {@code <name>}, and the directory is fsynced. Opening
 * finishes a switch that a crash interrupted.
 */
final class EvaluationLogFile implements AutoCloseable {
  /** The config key for the size at which the log rotates. */
  static final String MAX_BYTES_KEY = "node.evaluation-log.max-bytes";
  /**
   * 64 MiB, about 1.9 million lines of ~35 bytes: an auditor reads a file whole, a rotation
   * (two fsyncs, two renames) happens once in that many evaluations, and the active file, the
   * one part of the log no later header vouches for, stays bounded.
   */
  static final long DEFAULT_MAX_BYTES = 64L << 20;
  private final Path active;
  private final Path next;
  private final long maxBytes;
  private final Pattern rotatedName;
  private FileChannel channel;
  private MessageDigest digest;
  private long size;
  private boolean startsWithHeader;
  /** Why appends are refused (a rotation failed half way), or null. */
  private String broken;
  private long lines;
  /** The number the next rotated file gets. */
  private long nextNumber;

  private EvaluationLogFile(Path active, long maxBytes) {
    this.active = active.toAbsolutePath();
    this.next = this.active.resolveSibling(this.active.getFileName() + ".next");
    this.maxBytes = maxBytes;
    this.rotatedName = rotatedNamePattern(this.active.getFileName().toString());
  }

  /**
   * Opens (creating if missing) the log at {@code active}, first finishing a rotation a crash
   * interrupted. {@code maxBytes} 0 never rotates.
   */
  static EvaluationLogFile open(Path active, long maxBytes) throws IOException {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("evaluation log size limit " + maxBytes
          + " is negative; expected 0 (never rotate) or a byte count");
    }
    EvaluationLogFile f = new EvaluationLogFile(active, maxBytes);
    f.finishInterruptedRotation();
    f.openActive();
    return f;
  }

  /** {@value #MAX_BYTES_KEY} from a member config: a byte count, 0 never rotates. */
  static long maxBytes(java.util.Properties p) throws dev.bkv.node.raft.ConfigException {
    String v = p.getProperty(MAX_BYTES_KEY);
    if (v == null || v.isBlank()) {
      return DEFAULT_MAX_BYTES;
    }
    try {
      long n = Long.parseLong(v.trim());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new dev.bkv.node.raft.ConfigException(MAX_BYTES_KEY + " is '" + v.trim()
          + "'; expected a byte count (0: never rotate)", e);
    }
  }

  /** The pattern of the rotated files' names for an active file called {@code name}. */
  static Pattern rotatedNamePattern(String name) {
    return Pattern.compile(Pattern.quote(name) + "\\.([0-9]{6,18})");
  }

  /** Appends {@code line} (no newline), first rotating if the file has reached its limit. */
  synchronized void append(String line) throws IOException {
    if (broken != null) {
      throw new IOException("the evaluation log cannot be written since a rotation failed ("
          + broken + "); restart the member, which finishes the rotation");
    }
    if (maxBytes > 0 && size >= maxBytes && lines > (startsWithHeader ? 1 : 0)) {
      rotate();
    }
    byte[] bytes = (line + "\n").getBytes(StandardCharsets.US_ASCII);
    writeFully(channel, bytes);
    digest.update(bytes);
    size += bytes.length;
    lines++;
  }

  private static void writeFully(FileChannel to, byte[] bytes) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    while (b.hasRemaining()) {
      to.write(b);
    }
  }

  /**
   * Switches to a new active file. A failure before the old file is renamed leaves everything
   * as it was (the next append tries again); a failure after it leaves the log unwritable until
   * the member restarts and finishes the switch, since the open file is no longer the active one.
   */
  private void rotate() throws IOException {
    channel.force(true);
    String rotated = active.getFileName() + "." + String.format("%06d", nextNumber);
    Path rotatedPath = active.resolveSibling(rotated);
    if (Files.exists(rotatedPath)) {
      throw new IOException("cannot rotate the evaluation log: " + rotatedPath
          + " already exists");
    }
    byte[] header = (new EvaluationLogHeader(rotated, cloneOf(digest).digest(),
        lines).toLine() + "\n").getBytes(StandardCharsets.US_ASCII);
    Files.deleteIfExists(next); // a leftover that no rename used (its rotation never happened)
    FileChannel fresh = FileChannel.open(next, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    try {
      writeFully(fresh, header);
      fresh.force(true);
    } catch (IOException | RuntimeException e) {
      fresh.close();
      Files.deleteIfExists(next);
      throw e;
    }
    try {
      Files.move(active, rotatedPath, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      fresh.close();
      Files.deleteIfExists(next);
      throw e;
    }
    try {
      Files.move(next, active, StandardCopyOption.ATOMIC_MOVE);
      syncDirectory(active.getParent());
    } catch (IOException | RuntimeException e) {
      fresh.close();
      broken = active + " was renamed " + rotated + " but " + next + " not yet " + active
          + ": " + e.getMessage();
      throw e;
    }
    channel.close();
    channel = fresh;
    digest = sha256();
    digest.update(header);
    size = header.length;
    lines = 1;
    startsWithHeader = true;
    nextNumber++;
  }

  private static MessageDigest cloneOf(MessageDigest d) {
    try {
      return (MessageDigest) d.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 digest cannot be cloned", e);
    }
  }

  /**
   * A crash between writing {@code <name>.next} and the second rename leaves one of two states:
   * both files there (the old one not yet renamed: its hash is the header's) or only {@code
   * <name>.next} (the old one already renamed).
   */
  private void finishInterruptedRotation() throws IOException {
    if (!Files.exists(next)) {
      return;
    }
    EvaluationLogHeader header = firstLineHeader(next);
    if (header == null) {
      Files.delete(next); // written only in part: the rotation had not begun
      return;
    }
    if (Files.exists(active)) {
      if (!MessageDigest.isEqual(header.sha256(), hashOf(active))) {
        Files.delete(next); // the old file kept growing: this header describes nothing
        return;
      }
      Path rotated = active.resolveSibling(header.previous());
      if (Files.exists(rotated)) {
        throw new IOException("an interrupted evaluation log rotation would rename " + active
            + " to " + rotated + ", which already exists");
      }
      Files.move(active, rotated, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(next, active, StandardCopyOption.ATOMIC_MOVE);
    syncDirectory(active.getParent());
  }

  private void openActive() throws IOException {
    digest = sha256();
    size = 0;
    lines = 0;
    if (Files.exists(active)) {
      try (InputStream in = Files.newInputStream(active)) {
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
          digest.update(buf, 0, n);
          size += n;
          for (int i = 0; i < n; i++) {
            if (buf[i] == '\n') {
              lines++;
            }
          }
        }
      }
    }
    EvaluationLogHeader header = size == 0 ? null : firstLineHeader(active);
    startsWithHeader = header != null;
    nextNumber = header != null ? numberOf(header.previous()) + 1 : highestRotated() + 1;
    channel = FileChannel.open(active, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND);
  }

  private long numberOf(String rotated) {
    Matcher m = rotatedName.matcher(rotated);
    return m.matches() ? Long.parseLong(m.group(1)) : highestRotated();
  }

  private long highestRotated() {
    long max = 0;
    try (Stream<Path> files = Files.list(active.getParent())) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Matcher m = rotatedName.matcher(p.getFileName().toString());
        if (m.matches()) {
          max = Math.max(max, Long.parseLong(m.group(1)));
        }
      }
    } catch (IOException e) {
      return max;
    }
    return max;
  }

  static EvaluationLogHeader firstLineHeader(Path file) throws IOException {
    try (var r = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
      String first = r.readLine();
      return first == null ? null : EvaluationLogHeader.parse(first);
    }
  }

  static byte[] hashOf(Path file) throws IOException {
    MessageDigest d = sha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        d.update(buf, 0, n);
      }
    }
    return d.digest();
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256 in this JDK", e);
    }
  }

  private static void syncDirectory(Path dir) throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    channel.close();
  }
}
