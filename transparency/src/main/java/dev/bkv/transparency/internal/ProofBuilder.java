package dev.bkv.transparency.internal;

import dev.bkv.transparency.MalformedInputException;
import dev.bkv.transparency.Rfc6962;
import dev.bkv.transparency.Sha256Hash;
import dev.bkv.transparency.TransparencyException;
import java.util.ArrayList;
import java.util.List;

/**
 * Roots, inclusion paths (RFC 6962 section 2.1.1, PATH) and consistency proofs (section 2.1.2,
 * PROOF/SUBPROOF) computed from perfect subtree hashes. Every range visited by the RFC's recursion
 * is split at the largest power of two below its length, so its left part is always a perfect,
 * aligned subtree.
 */
public final class ProofBuilder {

  private final SubtreeHashes source;

  public ProofBuilder(SubtreeHashes source) {
    this.source = source;
  }

  /** MTH of the first {@code size} leaves. */
  public Sha256Hash root(long size) throws TransparencyException {
    if (size < 0) {
      throw new MalformedInputException(MalformedInputException.Problem.BAD_TREE_ARGUMENT,
          "tree size is " + size + "; expected >= 0");
    }
    return size == 0 ? Rfc6962.emptyRoot() : rangeHash(0, size);
  }

  /** The audit path for leaf {@code index} in the tree of {@code size} leaves, leaf end first. */
  public List<Sha256Hash> inclusion(long index, long size) throws TransparencyException {
    if (index < 0 || index >= size) {
      throw new MalformedInputException(MalformedInputException.Problem.BAD_TREE_ARGUMENT,
          "leaf index " + index + " is outside a tree of size " + size);
    }
    List<Sha256Hash> out = new ArrayList<>();
    path(index, 0, size, out);
    return out;
  }

  /** The consistency proof from size {@code m} to size {@code n}; empty when they are equal. */
  public List<Sha256Hash> consistency(long m, long n) throws TransparencyException {
    if (m <= 0 || m > n) {
      throw new MalformedInputException(MalformedInputException.Problem.BAD_TREE_ARGUMENT,
          "consistency proof from size " + m + " to " + n + "; expected 0 < size1 <= size2");
    }
    List<Sha256Hash> out = new ArrayList<>();
    if (m < n) {
      subproof(m, 0, n, true, out);
    }
    return out;
  }

  private void path(long m, long a, long b, List<Sha256Hash> out) throws TransparencyException {
    long n = b - a;
    if (n == 1) {
      return;
    }
    long k = Long.highestOneBit(n - 1);
    if (m < k) {
      path(m, a, a + k, out);
      out.add(rangeHash(a + k, b));
    } else {
      path(m - k, a + k, b, out);
      out.add(rangeHash(a, a + k));
    }
  }

  private void subproof(long m, long a, long b, boolean whole, List<Sha256Hash> out)
      throws TransparencyException {
    long n = b - a;
    if (m == n) {
      if (!whole) {
        out.add(rangeHash(a, b));
      }
      return;
    }
    long k = Long.highestOneBit(n - 1);
    if (m <= k) {
      subproof(m, a, a + k, whole, out);
      out.add(rangeHash(a + k, b));
    } else {
      subproof(m - k, a + k, b, false, out);
      out.add(rangeHash(a, a + k));
    }
  }

  /** MTH(D[a:b]) for a range the RFC recursion produces (a is aligned to the left split). */
  Sha256Hash rangeHash(long a, long b) throws TransparencyException {
    long n = b - a;
    if (Long.bitCount(n) == 1) {
      int height = Long.numberOfTrailingZeros(n);
      return source.subtree(height, a >>> height);
    }
    long k = Long.highestOneBit(n - 1);
    return Rfc6962.nodeHash(rangeHash(a, a + k), rangeHash(a + k, b));
  }
}
