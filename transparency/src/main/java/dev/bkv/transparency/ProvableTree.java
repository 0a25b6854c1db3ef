package dev.bkv.transparency;

import static dev.bkv.transparency.MalformedInputException.Problem.BAD_TREE_ARGUMENT;

import dev.bkv.transparency.internal.ProofBuilder;

/**
 * An RFC 6962 tree of {@link #size()} leaves that answers its root, inclusion proofs and
 * consistency proofs at any size up to its own, all assembled from its perfect subtree hashes.
 */
public abstract sealed class ProvableTree permits MerkleTree, TileLogReader {

  private final ProofBuilder proofs = new ProofBuilder(this::subtree);
  private final String sizeOrigin;

  /** {@code sizeOrigin} says where {@link #size()} comes from, in messages; may be empty. */
  ProvableTree(String sizeOrigin) {
    this.sizeOrigin = sizeOrigin;
  }

  /** The number of leaves. */
  public abstract long size();

  /** The perfect subtree hash of {@code 2^height} leaves from {@code index << height}. */
  abstract Sha256Hash subtree(int height, long index) throws TransparencyException;

  /** The root at any size up to {@link #size()}. */
  public Sha256Hash root(long size) throws TransparencyException {
    checkSize(size);
    return proofs.root(size);
  }

  public InclusionProof inclusionProof(long index, long treeSize) throws TransparencyException {
    checkSize(treeSize);
    return new InclusionProof(index, treeSize, proofs.inclusion(index, treeSize));
  }

  public ConsistencyProof consistencyProof(long size1, long size2) throws TransparencyException {
    checkSize(size2);
    return new ConsistencyProof(size1, size2, proofs.consistency(size1, size2));
  }

  private void checkSize(long size) throws MalformedInputException {
    if (size < 0 || size > size()) {
      throw new MalformedInputException(BAD_TREE_ARGUMENT,
          "tree size " + size + " is outside 0.." + size() + sizeOrigin);
    }
  }
}
