package dev.bkv.transparency;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Crash-safe file replacement: write a temporary file beside the target, fsync it, rename it over
 * the target atomically, then fsync the directory so the rename itself is durable. Readers (and
 * a static web server) see either the old file or the complete new one, never a torn write.
 */
public final class DurableFiles {

  public static final String TEMP_SUFFIX = ".tmp";

  private DurableFiles() {}

  /** Creates missing directories, fsyncing each parent that gained an entry. */
  public static void createDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    createDirectories(dir.getParent());
    Files.createDirectory(dir);
    fsyncDirectory(dir.getParent());
  }

  /** Writes {@code data} to {@code target.tmp}, fsyncs it, but does not publish it yet. */
  public static Path stage(Path target, byte[] data) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + TEMP_SUFFIX);
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(data);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    return tmp;
  }

  /** Atomically renames a staged file over its target and makes the rename durable. */
  public static void publish(Path staged, Path target) throws IOException {
    Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    fsyncDirectory(target.getParent());
  }

  /** {@link #stage} then {@link #publish}. */
  public static void replace(Path target, byte[] data) throws IOException {
    publish(stage(target, data), target);
  }

  public static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
