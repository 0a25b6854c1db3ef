package dev.bkv.transparency;

import static dev.bkv.transparency.VerificationFailedException.Reason.INCONSISTENT_TREE;

import dev.bkv.crypto.Sha256;
import dev.bkv.transparency.internal.NoteSyntax;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;

/**
 * A transparency-log witness (C2SP tlog-cosignature): it cosigns a log's checkpoint only when the
 * checkpoint is validly signed by the log and is a consistent extension of the last checkpoint
 * it cosigned for that origin, so that the log cannot show forked or rolled-back views to
 * readers who require its cosignature.
 *
 * <p>State directory: {@code witness.key} (the Ed25519 cosigner key, mode 0600),
 * {@code witness.vkey} (its public verifier key, type 0x04) and
 * {@code checkpoints/<hex SHA-256 of the origin>}, the last checkpoint cosigned for each log,
 * as cosigned. The state file is replaced durably before the cosignature is returned, and a
 * refused checkpoint leaves it untouched. One cosigning at a time per directory ({@code .lock}).
 */
public final class Witness {

  public static final String KEY_FILE = "witness.key";
  public static final String VKEY_FILE = "witness.vkey";
  static final String CHECKPOINTS = "checkpoints";

  private final Path dir;
  private final Ed25519Cosigner cosigner;

  private Witness(Path dir, Ed25519Cosigner cosigner) {
    this.dir = dir.toAbsolutePath();
    this.cosigner = cosigner;
  }

  /** Creates a witness with a fresh key in {@code dir}; refuses a directory that has one. */
  public static Witness init(Path dir, String name, SecureRandom random, Clock clock)
      throws TransparencyException {
    Ed25519Cosigner key = Ed25519Cosigner.generate(name, random, clock);
    dir = dir.toAbsolutePath();
    try {
      DurableFiles.createDirectories(dir);
    } catch (IOException e) {
      throw new TransparencyFaultException("cannot create witness directory " + dir + ": " + e, e);
    }
    NoteKeyFiles.write(dir.resolve(KEY_FILE), key);
    try {
      DurableFiles.replace(dir.resolve(VKEY_FILE),
          (key.verifierKey().encode() + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new TransparencyFaultException("cannot write " + dir.resolve(VKEY_FILE) + ": " + e, e);
    }
    return new Witness(dir, key);
  }

  /** Opens the witness in {@code dir}; cosignatures are timestamped with {@code clock}. */
  public static Witness open(Path dir, Clock clock) throws TransparencyException {
    return new Witness(dir, NoteKeyFiles.readCosigner(dir.resolve(KEY_FILE), clock));
  }

  public VerifierKey verifierKey() {
    return cosigner.verifierKey();
  }

  /**
   * A cosigning: the checkpoint note with this witness's line added, the checkpoint, and the
   * one cosigned before for its origin (null the first time).
   */
  public record Cosigned(Note note, Checkpoint checkpoint, Checkpoint previous) {}

  /**
   * Reads the log in {@code logDir}, verifies its checkpoint under {@code logKey} (origin = the
   * key name) and against its tiles, checks it extends the last checkpoint cosigned for that
   * origin (same or larger size; a consistency proof from the tiles, checked against the stored
   * root), records it and cosigns it.
   *
   * @throws VerificationFailedException INCONSISTENT_TREE for a rollback, a fork or a failed
   *     consistency proof (naming both sizes and roots); the checkpoint's own failures otherwise.
   *     In every case the state is unchanged.
   */
  public Cosigned cosign(Path logDir, VerifierKey logKey) throws TransparencyException {
    try (StateLock lock = StateLock.take(dir)) {
      TileLogReader log = TileLogReader.open(logDir, logKey.name(), List.of(logKey.verifier()));
      Checkpoint now = log.checkpoint();
      Checkpoint last = lastCosigned(now.origin());
      if (last != null) {
        requireExtends(log, last, now);
      }
      Note cosigned = SignedNotes.addSignatures(
          Note.parse(log.signedCheckpoint(), NoteLimits.DEFAULT), List.of(cosigner));
      Path state = stateFile(now.origin());
      try {
        DurableFiles.createDirectories(state.getParent());
        DurableFiles.replace(state, cosigned.toBytes());
      } catch (IOException e) {
        throw new TransparencyFaultException("cannot record the cosigned checkpoint in " + state
            + ": " + e, e);
      }
      return new Cosigned(cosigned, now, last);
    }
  }

  /** The last checkpoint this witness cosigned for {@code origin}, or null. */
  public Checkpoint lastCosigned(String origin) throws TransparencyException {
    Path file = stateFile(origin);
    if (!Files.exists(file)) {
      return null;
    }
    try {
      Checkpoint c = Checkpoint.parse(
          Note.parse(Files.readAllBytes(file), NoteLimits.DEFAULT).text());
      if (!c.origin().equals(origin)) {
        throw new TransparencyFaultException("witness state " + file + " is for origin "
            + NoteSyntax.quote(c.origin()) + ", not " + NoteSyntax.quote(origin));
      }
      return c;
    } catch (IOException | MalformedInputException e) {
      throw new TransparencyFaultException("witness state " + file + " is unreadable: "
          + e.getMessage(), e);
    }
  }

  private static void requireExtends(TileLogReader log, Checkpoint last, Checkpoint now)
      throws TransparencyException {
    String was = "size " + last.size() + " (root " + last.root() + ")";
    String is = "size " + now.size() + " (root " + now.root() + ")";
    String where = "log " + NoteSyntax.quote(now.origin()) + ": checkpoint of " + is;
    if (now.size() < last.size()) {
      throw new VerificationFailedException(INCONSISTENT_TREE, where + " is smaller than the "
          + was + " this witness cosigned (rollback); not cosigning");
    }
    if (now.size() == last.size()) {
      if (!now.root().equals(last.root())) {
        throw new VerificationFailedException(INCONSISTENT_TREE, where + " differs from the "
            + was + " this witness cosigned at the same size (fork); not cosigning");
      }
      return;
    }
    if (last.size() == 0) {
      last.verifyExtendedBy(now, List.of());
      return;
    }
    try {
      List<Sha256Hash> proof = log.consistencyProof(last.size(), now.size()).hashes();
      MerkleProofs.verifyConsistency(last.size(), now.size(), proof, last.root(), now.root());
    } catch (VerificationFailedException | MalformedInputException e) {
      throw new VerificationFailedException(INCONSISTENT_TREE, where + " is not a consistent"
          + " extension of the " + was + " this witness cosigned (fork): " + e.getMessage()
          + "; not cosigning");
    }
  }

  private Path stateFile(String origin) {
    return dir.resolve(CHECKPOINTS).resolve(
        HexFormat.of().formatHex(Sha256.hash(origin.getBytes(StandardCharsets.UTF_8))));
  }

  /** The state directory's lock, held while one checkpoint is checked and recorded. */
  private record StateLock(FileChannel channel, FileLock lock) implements AutoCloseable {
    static StateLock take(Path dir) throws TransparencyFaultException {
      FileChannel ch = null;
      try {
        ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
        FileLock l = ch.tryLock();
        if (l == null) {
          throw new TransparencyFaultException("witness " + dir + " is cosigning already (its"
              + " .lock is held); run again when it is done");
        }
        StateLock s = new StateLock(ch, l);
        ch = null;
        return s;
      } catch (IOException | OverlappingFileLockException e) {
        throw new TransparencyFaultException("cannot lock witness " + dir + ": " + e, e);
      } finally {
        if (ch != null) {
          try {
            ch.close();
          } catch (IOException e) {
            // already failing
          }
        }
      }
    }

    @Override
    public void close() {
      try {
        channel.close();
      } catch (IOException e) {
        // closing the channel releases the lock
      }
    }
  }
}
