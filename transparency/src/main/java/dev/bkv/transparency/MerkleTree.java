package dev.bkv.transparency;

import java.util.ArrayList;
import java.util.List;

/**
 * An in-memory RFC 6962 tree over leaf hashes, keeping every level so roots and proofs for any
 * earlier size cost O(log n) hashes. For logs that fit in memory (tests, auditors replaying a
 * downloaded log); the on-disk log is {@link TileLogWriter}/{@link TileLogReader}.
 */
public final class MerkleTree extends ProvableTree {

  /** levels.get(h).get(i) is the perfect subtree hash of height h and index i. */
  private final List<List<Sha256Hash>> levels = new ArrayList<>();

  public MerkleTree() {
    super("");
    levels.add(new ArrayList<>());
  }

  /** Appends an entry (hashed as an RFC 6962 leaf) and returns its index. */
  public long append(byte[] entry) {
    return appendLeafHash(Rfc6962.leafHash(entry));
  }

  /** Appends an already computed leaf hash and returns its index. */
  public long appendLeafHash(Sha256Hash leafHash) {
    long index = size();
    Sha256Hash carry = leafHash;
    for (int h = 0; ; h++) {
      if (levels.size() == h) {
        levels.add(new ArrayList<>());
      }
      List<Sha256Hash> level = levels.get(h);
      level.add(carry);
      if (level.size() % 2 == 1) {
        return index;
      }
      carry = Rfc6962.nodeHash(level.get(level.size() - 2), carry);
    }
  }

  @Override
  public long size() {
    return levels.get(0).size();
  }

  public Sha256Hash leafHash(long index) {
    return levels.get(0).get(Math.toIntExact(index));
  }

  /** The perfect subtree hash of {@code 2^height} leaves starting at {@code index << height}. */
  public Sha256Hash subtreeRoot(int height, long index) {
    return levels.get(height).get(Math.toIntExact(index));
  }

  @Override
  Sha256Hash subtree(int height, long index) {
    return subtreeRoot(height, index);
  }

  public Sha256Hash root() throws TransparencyException {
    return root(size());
  }
}
