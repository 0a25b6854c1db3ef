package dev.bkv.transparency;

import static dev.bkv.transparency.MalformedInputException.Problem.BAD_ENTRY;

import dev.bkv.transparency.internal.TilePath;
import dev.bkv.transparency.internal.TileStore;
import dev.bkv.transparency.internal.Tiles;
import dev.bkv.transparency.internal.TreeEdge;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Appends entries to a C2SP tlog-tiles log in a directory that any static web server can serve.
 *
 * <p>Crash safety: an append first writes every new tile and entry bundle (each via temp file,
 * fsync, atomic rename, directory fsync), then stages the new signed checkpoint in
 * {@code checkpoint.tmp}, fsyncs it, and atomically renames it over {@code checkpoint}. The
 * checkpoint is the commit point: on {@link #open} only what it covers is trusted, and tiles left
 * beyond it by a torn append are removed by {@link LogRecovery} and rewritten by later appends.
 *
 * <p>One writer per directory, enforced with a lock on {@code .lock}. Not thread-safe.
 */
public final class TileLogWriter implements AutoCloseable {

  /** Points of an append at which a {@link StepHook} is called (for fault-injection tests). */
  public enum Step {
    /** One tile or entry bundle is durably in place. */
    FILE_WRITTEN,
    /** All tiles are written; the new checkpoint is not yet staged. */
    TILES_WRITTEN,
    /** {@code checkpoint.tmp} is written and synced but not yet renamed. */
    CHECKPOINT_STAGED,
    /** The new checkpoint is published. */
    CHECKPOINT_PUBLISHED
  }

  /** Observes append steps; throwing from it simulates a crash at that step. */
  @FunctionalInterface
  public interface StepHook {
    StepHook NONE = (step, detail) -> { };

    void reached(Step step, String detail) throws IOException;
  }

  static final String CHECKPOINT = "checkpoint";

  private final Path dir;
  private final String origin;
  private final NoteSigner signer;
  private final StepHook hook;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private TreeEdge edge;
  private byte[] checkpointNote;
  private boolean broken;

  private TileLogWriter(Path dir, String origin, NoteSigner signer, StepHook hook,
      FileChannel lockChannel, FileLock lock) {
    this.dir = dir;
    this.origin = origin;
    this.signer = signer;
    this.hook = hook;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /** Opens or creates the log in {@code dir}, with no step hook. */
  public static TileLogWriter open(Path dir, String origin, NoteSigner signer,
      NoteVerifier verifier) throws TransparencyException {
    return open(dir, origin, signer, verifier, StepHook.NONE);
  }

  /**
   * Opens the log, creating it with a signed size-0 checkpoint when the directory has none. The
   * existing checkpoint must verify under {@code verifier} and name {@code origin}; its root must
   * match the tiles on disk.
   */
  public static TileLogWriter open(Path dir, String origin, NoteSigner signer,
      NoteVerifier verifier, StepHook hook) throws TransparencyException {
    Objects.requireNonNull(hook, "hook");
    FileChannel channel = null;
    try {
      Files.createDirectories(dir);
      channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw new TransparencyFaultException("log " + dir + " is already open by another writer");
      }
      TileLogWriter w = new TileLogWriter(dir, origin, signer, hook, channel, lock);
      channel = null;
      try {
        w.recover(verifier);
      } catch (TransparencyException | IOException | RuntimeException e) {
        w.close();
        throw e;
      }
      return w;
    } catch (IOException | java.nio.channels.OverlappingFileLockException e) {
      throw new TransparencyFaultException("cannot open log " + dir + ": " + e, e);
    } finally {
      closeQuietly(channel);
    }
  }

  private void recover(NoteVerifier verifier) throws TransparencyException, IOException {
    Path cp = dir.resolve(CHECKPOINT);
    if (!Files.exists(cp)) {
      if (Files.exists(dir.resolve("tile"))) {
        throw new TransparencyFaultException("log " + dir + " has tiles but no checkpoint");
      }
      edge = TreeEdge.empty();
      publishCheckpoint();
      return;
    }
    byte[] note = Files.readAllBytes(cp);
    Checkpoint c = Checkpoint.open(note, origin, List.of(verifier));
    TreeEdge loaded;
    try {
      loaded = TreeEdge.load(new TileStore(dir, c.size()));
    } catch (MalformedInputException e) {
      throw new TransparencyFaultException("log " + dir + " tiles are corrupt: " + e.getMessage(), e);
    }
    if (!loaded.root().equals(c.root())) {
      throw new TransparencyFaultException("log " + dir + " tiles give root " + loaded.root()
          + " at size " + c.size() + " but the checkpoint says " + c.root());
    }
    LogRecovery.removeBeyond(dir, c.size());
    edge = loaded;
    checkpointNote = note;
  }

  /** Appends entries (each at most 65535 bytes) and returns the new checkpoint. */
  public Checkpoint append(List<byte[]> entries) throws TransparencyException {
    if (broken) {
      throw new TransparencyFaultException("an earlier append to " + dir + " failed; reopen the log");
    }
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).length > Tiles.MAX_ENTRY) {
        throw new MalformedInputException(BAD_ENTRY, "entry " + i + " is " + entries.get(i).length
            + " bytes; an entry bundle holds at most " + Tiles.MAX_ENTRY);
      }
    }
    TreeEdge before = edge;
    TreeEdge next = edge.copy();
    Map<TilePath, byte[]> files = next.append(entries);
    broken = true;
    try {
      for (Map.Entry<TilePath, byte[]> f : files.entrySet()) {
        Path target = dir.resolve(f.getKey().path());
        DurableFiles.createDirectories(target.getParent());
        DurableFiles.replace(target, f.getValue());
        hook.reached(Step.FILE_WRITTEN, f.getKey().path());
      }
      hook.reached(Step.TILES_WRITTEN, files.size() + " files");
      edge = next;
      publishCheckpoint();
      broken = false;
      return checkpoint();
    } catch (IOException e) {
      edge = before;
      throw new TransparencyFaultException("append to " + dir + " failed: " + e.getMessage(), e);
    }
  }

  private void publishCheckpoint() throws TransparencyException, IOException {
    Checkpoint c = new Checkpoint(origin, edge.size(), edge.root());
    byte[] note = c.sign(List.of(signer)).toBytes();
    Path target = dir.resolve(CHECKPOINT);
    Path staged = DurableFiles.stage(target, note);
    hook.reached(Step.CHECKPOINT_STAGED, c.size() + "");
    DurableFiles.publish(staged, target);
    checkpointNote = note;
    hook.reached(Step.CHECKPOINT_PUBLISHED, c.size() + "");
  }

  /** The checkpoint last published (its tree size, root and origin). */
  public Checkpoint checkpoint() throws TransparencyException {
    return Checkpoint.parse(Note.parse(checkpointNote, NoteLimits.DEFAULT).text());
  }

  /** The signed checkpoint note exactly as published. */
  public byte[] signedCheckpoint() {
    return checkpointNote.clone();
  }

  public Path directory() {
    return dir;
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // the lock goes with the channel below
    }
    closeQuietly(lockChannel);
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException e) {
        // nothing useful to do on close
      }
    }
  }
}
