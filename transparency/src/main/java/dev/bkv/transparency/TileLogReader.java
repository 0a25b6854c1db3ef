package dev.bkv.transparency;

import static dev.bkv.transparency.MalformedInputException.Problem.BAD_TREE_ARGUMENT;

import dev.bkv.transparency.internal.TileStore;
import dev.bkv.transparency.internal.Tiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * Reads a tiled log directory at the tree size of a verified checkpoint: entries, roots of any
 * earlier size, and inclusion and consistency proofs, all recomputed from the tiles. Proofs are
 * only as good as the tiles; clients verify them against signed checkpoints, and
 * {@link #audit()} re-derives every tile from the entries.
 *
 * <p>A reader is a snapshot at one checkpoint and caches the tiles it reads; it is not
 * thread-safe. Open a new reader to see later appends.
 */
public final class TileLogReader extends ProvableTree {

  private final Path dir;
  private final Checkpoint checkpoint;
  private final byte[] checkpointNote;
  private final TileStore store;

  private TileLogReader(Path dir, Checkpoint checkpoint, byte[] note) {
    super(" of the verified checkpoint");
    this.dir = dir;
    this.checkpoint = checkpoint;
    this.checkpointNote = note;
    this.store = new TileStore(dir, checkpoint.size());
  }

  /**
   * Opens the log: its checkpoint must verify under {@code trusted} and name {@code origin}, and
   * the tiles must reproduce the checkpoint's root.
   */
  public static TileLogReader open(Path dir, String origin,
      Collection<? extends NoteVerifier> trusted) throws TransparencyException {
    byte[] note;
    try {
      note = Files.readAllBytes(dir.resolve(TileLogWriter.CHECKPOINT));
    } catch (IOException e) {
      throw new TransparencyFaultException("cannot read checkpoint of log " + dir + ": " + e, e);
    }
    TileLogReader r = new TileLogReader(dir, Checkpoint.open(note, origin, trusted), note);
    Sha256Hash fromTiles = r.root(r.size());
    if (!fromTiles.equals(r.checkpoint.root())) {
      throw new VerificationFailedException(VerificationFailedException.Reason.ROOT_MISMATCH,
          "tiles of log " + dir + " give root " + fromTiles + " at size " + r.checkpoint.size()
              + " but its checkpoint says " + r.checkpoint.root());
    }
    return r;
  }

  public Checkpoint checkpoint() {
    return checkpoint;
  }

  public byte[] signedCheckpoint() {
    return checkpointNote.clone();
  }

  @Override
  public long size() {
    return checkpoint.size();
  }

  public byte[] entry(long index) throws TransparencyException {
    checkIndex(index);
    return store.bundleFor(index).get((int) (index & 0xff));
  }

  public Sha256Hash leafHash(long index) throws TransparencyException {
    checkIndex(index);
    return store.tileFor(0, index).get((int) (index & 0xff));
  }

  @Override
  Sha256Hash subtree(int height, long index) throws TransparencyException {
    return store.subtree(height, index);
  }

  /**
   * Full audit: every entry bundle hashes to its level-0 tile, every full tile hashes to its
   * parent's entry, and the whole tree to the checkpoint root. Cost is linear in the log size.
   */
  public void audit() throws TransparencyException {
    long size = checkpoint.size();
    MerkleTree tree = new MerkleTree();
    for (long i = 0; i < size; i += 256) {
      List<byte[]> bundle = store.bundleFor(i);
      List<Sha256Hash> tile = store.tileFor(0, i);
      for (int k = 0; k < bundle.size(); k++) {
        Sha256Hash leaf = Rfc6962.leafHash(bundle.get(k));
        if (!leaf.equals(tile.get(k))) {
          throw new VerificationFailedException(VerificationFailedException.Reason.ROOT_MISMATCH,
              "entry " + (i + k) + " of log " + dir + " does not match its level-0 tile hash");
        }
        tree.appendLeafHash(leaf);
      }
    }
    for (int level = 1; Tiles.hashesAt(level, size) > 0; level++) {
      for (long j = 0; j < Tiles.hashesAt(level, size); j++) {
        Sha256Hash stored = store.tileFor(level, j).get((int) (j & 0xff));
        Sha256Hash derived = tree.subtreeRoot(8 * level, j);
        if (!stored.equals(derived)) {
          throw new VerificationFailedException(VerificationFailedException.Reason.ROOT_MISMATCH,
              "tile hash " + j + " at level " + level + " of log " + dir + " is wrong");
        }
      }
    }
    if (!tree.root().equals(checkpoint.root())) {
      throw new VerificationFailedException(VerificationFailedException.Reason.ROOT_MISMATCH,
          "entries of log " + dir + " give root " + tree.root() + "; checkpoint says "
              + checkpoint.root());
    }
  }

  private void checkIndex(long index) throws MalformedInputException {
    if (index < 0 || index >= size()) {
      throw new MalformedInputException(BAD_TREE_ARGUMENT,
          "entry " + index + " is outside the log of size " + size());
    }
  }
}
