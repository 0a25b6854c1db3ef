package dev.bkv.ec;

import dev.bkv.recovery.InternalFaultException;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.Optional;

/**
 * Recovers the full point k·B from an x-only ECDH oracle for k, given the public key K = k·G
 * (DESIGN §3). Ask for x(k·B) and x(k·(B+G)); of the two points Z with x(Z) = x(k·B), exactly
 * one satisfies x(Z + K) = x(k·(B+G)), because Z + K = k·(B+G) for the right sign and
 * −Z + K = k·(G−B) has a different x unless 2k·B or 2K were the identity (impossible in a
 * prime-order group). B = −G (where B + G is the identity) is answered as −K without asking
 * the oracle. If neither or both candidates match, the oracle is faulty and we abort.
 *
 * <p>Pure math; thread-safe if the oracle is.
 */
public final class XOnlyPointRecovery {
  private final XOnlyEcdh ecdh;
  private final Point publicKey;

  public XOnlyPointRecovery(XOnlyEcdh ecdh, Point publicKey) {
    this.ecdh = Objects.requireNonNull(ecdh, "ecdh");
    this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
  }

  public Point publicKey() {
    return publicKey;
  }

  /** k·B as a full point. */
  public Point multiply(Point b) throws InternalFaultException {
    Point g = P256.generator();
    Optional<Point> bPlusG = b.add(g);
    if (bPlusG.isEmpty()) {
      return publicKey.negate(); // B = −G, so k·B = −K
    }
    return resolve(publicKey, ecdh.x(b), ecdh.x(bPlusG.get()));
  }

  /**
   * The point k·B from {@code x1 = x(k·B)} and {@code x2 = x(k·(B+G))} (B ≠ −G) with the public
   * key K = k·G, for a key holder that answers both in one call.
   */
  public static Point resolve(Point publicKey, byte[] x1, byte[] x2)
      throws InternalFaultException {
    x1 = checkedX(x1, "x(k·B)");
    x2 = checkedX(x2, "x(k·(B+G))");
    Point even;
    try {
      even = P256.fromX(x1, false);
    } catch (dev.bkv.recovery.BadInputException e) {
      throw new InternalFaultException("x-only ECDH returned an x-coordinate not on P-256");
    }
    Point match = null;
    int matches = 0;
    for (Point z : new Point[] {even, even.negate()}) {
      Optional<Point> sum = z.add(publicKey);
      if (sum.isPresent() && MessageDigest.isEqual(sum.get().x(), x2)) {
        match = z;
        matches++;
      }
    }
    if (matches != 1) {
      throw new InternalFaultException("x-only ECDH answers are inconsistent with the public key ("
          + matches + " candidate points matched; expected exactly 1): faulty key holder");
    }
    return match;
  }

  private static byte[] checkedX(byte[] x, String what) throws InternalFaultException {
    if (x == null || x.length != 32) {
      throw new InternalFaultException("x-only ECDH returned " + what + " of "
          + (x == null ? "null" : x.length + " bytes") + "; expected 32");
    }
    return x;
  }
}
