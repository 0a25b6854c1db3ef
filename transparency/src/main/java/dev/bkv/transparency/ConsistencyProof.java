package dev.bkv.transparency;

import java.util.List;

/** An RFC 6962 consistency proof: the tree of {@code size2} leaves extends that of size1. */
public record ConsistencyProof(long size1, long size2, List<Sha256Hash> hashes) {

  public ConsistencyProof {
    if (size1 <= 0 || size2 < size1) {
      throw new IllegalArgumentException(
          "consistency from size " + size1 + " to " + size2 + "; expected 0 < size1 <= size2");
    }
    hashes = List.copyOf(hashes);
  }

  public void verify(Sha256Hash root1, Sha256Hash root2) throws TransparencyException {
    MerkleProofs.verifyConsistency(size1, size2, hashes, root1, root2);
  }
}
