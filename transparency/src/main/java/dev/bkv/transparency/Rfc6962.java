package dev.bkv.transparency;

import dev.bkv.crypto.Sha256;
import java.security.MessageDigest;

/**
 * RFC 6962 section 2.1 hashing with SHA-256: leaves are {@code SHA-256(0x00 || entry)}, interior
 * nodes {@code SHA-256(0x01 || left || right)}, and the empty tree is {@code SHA-256("")}.
 */
public final class Rfc6962 {

  private static final byte LEAF_PREFIX = 0x00;
  private static final byte NODE_PREFIX = 0x01;
  private static final Sha256Hash EMPTY_ROOT = new Sha256Hash(Sha256.hash());
  private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(Sha256::newDigest);

  private Rfc6962() {}

  /** The root of a tree with no leaves. */
  public static Sha256Hash emptyRoot() {
    return EMPTY_ROOT;
  }

  /** The leaf hash of one log entry. */
  public static Sha256Hash leafHash(byte[] entry) {
    MessageDigest md = DIGEST.get();
    md.update(LEAF_PREFIX);
    md.update(entry);
    return new Sha256Hash(md.digest());
  }

  /** The hash of an interior node from its two children. */
  public static Sha256Hash nodeHash(Sha256Hash left, Sha256Hash right) {
    MessageDigest md = DIGEST.get();
    md.update(NODE_PREFIX);
    md.update(left.internalBytes());
    md.update(right.internalBytes());
    return new Sha256Hash(md.digest());
  }
}
