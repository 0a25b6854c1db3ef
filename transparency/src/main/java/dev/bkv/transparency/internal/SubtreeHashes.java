package dev.bkv.transparency.internal;

import dev.bkv.transparency.Sha256Hash;
import dev.bkv.transparency.TransparencyException;

/**
 * Source of perfect subtree hashes: the root of the complete subtree of {@code 2^height} leaves
 * starting at leaf {@code index * 2^height}. In-memory trees and tile directories both provide
 * this; every RFC 6962 root and proof is assembled from such hashes.
 */
public interface SubtreeHashes {

  /** The perfect subtree hash; callers only ask for subtrees inside the current tree. */
  Sha256Hash subtree(int height, long index) throws TransparencyException;
}
