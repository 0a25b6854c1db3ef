package dev.bkv.transparency;

import java.util.List;

/** An RFC 6962 audit path: leaf {@code leafIndex} is in the tree of {@code treeSize} leaves. */
public record InclusionProof(long leafIndex, long treeSize, List<Sha256Hash> hashes) {

  public InclusionProof {
    if (leafIndex < 0 || leafIndex >= treeSize) {
      throw new IllegalArgumentException(
          "leaf index " + leafIndex + " is outside a tree of size " + treeSize);
    }
    hashes = List.copyOf(hashes);
  }

  /** Checks the proof for the entry's leaf hash against a root of size {@link #treeSize()}. */
  public void verify(Sha256Hash leafHash, Sha256Hash root) throws TransparencyException {
    MerkleProofs.verifyInclusion(leafHash, leafIndex, treeSize, hashes, root);
  }
}
