package dev.bkv.transparency;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a log keeps witness cosignatures: as extra signature lines of its {@code checkpoint}
 * file, so that anyone who fetches the checkpoint gets them (C2SP signed-note readers ignore
 * lines by keys they do not know). Lines are added under the log writer's {@code .lock}, and only
 * to the checkpoint they cosign: the next append publishes a new checkpoint with the log's
 * signature alone, to be cosigned again.
 */
public final class LogCosignatures {

  private LogCosignatures() {}

  /**
   * Adds the signature lines of {@code cosigned} that the log's checkpoint lacks (a line by the
   * same name and key ID is replaced), and returns the checkpoint as published.
   *
   * @throws TransparencyFaultException if the log is being written, or its checkpoint is no
   *     longer the one cosigned (the log grew meanwhile: cosign again)
   */
  public static Note add(Path logDir, Note cosigned) throws TransparencyException {
    Path target = logDir.resolve(TileLogWriter.CHECKPOINT);
    try (FileChannel ch = FileChannel.open(logDir.resolve(".lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE)) {
      FileLock lock = tryLock(ch);
      if (lock == null) {
        throw new TransparencyFaultException("log " + logDir + " is being written (its .lock is"
            + " held); add the cosignature when the append is done");
      }
      Note current = Note.parse(Files.readAllBytes(target), NoteLimits.DEFAULT);
      if (!current.text().equals(cosigned.text())) {
        throw new TransparencyFaultException("the checkpoint of log " + logDir + " changed since"
            + " it was cosigned (it is now " + firstLines(current.text()) + ", the cosignature"
            + " is for " + firstLines(cosigned.text()) + "); cosign the new one");
      }
      List<NoteSignature> merged = new ArrayList<>(current.signatures());
      for (NoteSignature s : cosigned.signatures()) {
        int at = indexOf(merged, s);
        if (at < 0) {
          merged.add(s);
        } else {
          merged.set(at, s);
        }
      }
      Note published = new Note(current.text(), merged);
      DurableFiles.replace(target, published.toBytes());
      return published;
    } catch (IOException e) {
      throw new TransparencyFaultException("cannot add cosignatures to " + target + ": " + e, e);
    }
  }

  private static FileLock tryLock(FileChannel ch) throws IOException {
    try {
      return ch.tryLock();
    } catch (OverlappingFileLockException e) {
      return null;
    }
  }

  private static int indexOf(List<NoteSignature> sigs, NoteSignature s) {
    for (int i = 0; i < sigs.size(); i++) {
      if (sigs.get(i).name().equals(s.name()) && sigs.get(i).keyId() == s.keyId()) {
        return i;
      }
    }
    return -1;
  }

  private static String firstLines(String text) {
    String[] lines = text.split("\n", 3);
    return "size " + (lines.length > 1 ? lines[1] : "?");
  }
}
