package dev.bkv.transparency;

import static dev.bkv.transparency.MalformedInputException.Problem.BAD_TREE_ARGUMENT;
import static dev.bkv.transparency.VerificationFailedException.Reason.PROOF_SHAPE;
import static dev.bkv.transparency.VerificationFailedException.Reason.ROOT_MISMATCH;

import java.util.ArrayList;
import java.util.List;

/**
 * Verification of RFC 6962 inclusion and consistency proofs, following the algorithms of
 * RFC 9162 sections 2.1.3.2 and 2.1.4.2.
 *
 * <p>Policy beyond the RFC text: a consistency proof from size 0 is rejected as a bad argument,
 * whatever size2 is (0 included), because every tree extends the empty tree and such a proof
 * shows nothing; for equal sizes above 0 the proof must be empty and the roots equal.
 */
public final class MerkleProofs {

  private MerkleProofs() {}

  /** Checks that {@code leafHash} is leaf {@code index} of the tree {@code (size, root)}. */
  public static void verifyInclusion(Sha256Hash leafHash, long index, long size,
      List<Sha256Hash> proof, Sha256Hash root) throws TransparencyException {
    Sha256Hash computed = rootFromInclusion(leafHash, index, size, proof);
    if (!computed.equals(root)) {
      throw new VerificationFailedException(ROOT_MISMATCH, "inclusion proof for leaf " + index
          + " in tree size " + size + " gives root " + computed + "; expected " + root);
    }
  }

  /** The root that an inclusion proof implies for {@code leafHash} at {@code index}. */
  public static Sha256Hash rootFromInclusion(Sha256Hash leafHash, long index, long size,
      List<Sha256Hash> proof) throws TransparencyException {
    if (index < 0 || size < 0 || index >= size) {
      throw new MalformedInputException(BAD_TREE_ARGUMENT,
          "leaf index " + index + " is outside a tree of size " + size);
    }
    long fn = index;
    long sn = size - 1;
    Sha256Hash r = leafHash;
    for (Sha256Hash p : proof) {
      if (sn == 0) {
        throw new VerificationFailedException(PROOF_SHAPE, "inclusion proof for leaf " + index
            + " in tree size " + size + " has " + proof.size() + " hashes; too many");
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = Rfc6962.nodeHash(p, r);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        r = Rfc6962.nodeHash(r, p);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    if (sn != 0) {
      throw new VerificationFailedException(PROOF_SHAPE, "inclusion proof for leaf " + index
          + " in tree size " + size + " has " + proof.size() + " hashes; too few");
    }
    return r;
  }

  /** Checks that the tree {@code (size2, root2)} is an append-only extension of (size1, root1). */
  public static void verifyConsistency(long size1, long size2, List<Sha256Hash> proof,
      Sha256Hash root1, Sha256Hash root2) throws TransparencyException {
    if (size1 < 0 || size2 < size1) {
      throw new MalformedInputException(BAD_TREE_ARGUMENT, "consistency from size " + size1
          + " to size " + size2 + "; expected 0 < size1 <= size2");
    }
    if (size1 == 0) {
      throw new MalformedInputException(BAD_TREE_ARGUMENT, "consistency from size 0 to size " + size2
          + " proves nothing; expected size1 > 0 (every tree extends the empty tree)");
    }
    if (size1 == size2) {
      if (!proof.isEmpty()) {
        throw new VerificationFailedException(PROOF_SHAPE, "consistency proof between equal sizes "
            + size1 + " has " + proof.size() + " hashes; expected none");
      }
      if (!root1.equals(root2)) {
        throw new VerificationFailedException(ROOT_MISMATCH,
            "trees of equal size " + size1 + " have different roots " + root1 + " and " + root2);
      }
      return;
    }
    if (proof.isEmpty()) {
      throw new VerificationFailedException(PROOF_SHAPE, "consistency proof from size " + size1
          + " to size " + size2 + " is empty");
    }
    List<Sha256Hash> path = new ArrayList<>(proof);
    if (Long.bitCount(size1) == 1) {
      path.add(0, root1);
    }
    long fn = size1 - 1;
    long sn = size2 - 1;
    while ((fn & 1) == 1) {
      fn >>>= 1;
      sn >>>= 1;
    }
    Sha256Hash fr = path.get(0);
    Sha256Hash sr = path.get(0);
    for (Sha256Hash c : path.subList(1, path.size())) {
      if (sn == 0) {
        throw new VerificationFailedException(PROOF_SHAPE, "consistency proof from size " + size1
            + " to size " + size2 + " has " + proof.size() + " hashes; too many");
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = Rfc6962.nodeHash(c, fr);
        sr = Rfc6962.nodeHash(c, sr);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        sr = Rfc6962.nodeHash(sr, c);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    if (sn != 0) {
      throw new VerificationFailedException(PROOF_SHAPE, "consistency proof from size " + size1
          + " to size " + size2 + " has " + proof.size() + " hashes; too few");
    }
    if (!fr.equals(root1)) {
      throw new VerificationFailedException(ROOT_MISMATCH, "consistency proof gives old root "
          + fr + " for size " + size1 + "; expected " + root1);
    }
    if (!sr.equals(root2)) {
      throw new VerificationFailedException(ROOT_MISMATCH, "consistency proof gives new root "
          + sr + " for size " + size2 + "; expected " + root2);
    }
  }
}
