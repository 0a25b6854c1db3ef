package dev.bkv.h2c.internal;

import dev.bkv.ec.P256;
import java.math.BigInteger;
import org.bouncycastle.math.ec.ECPoint;

/**
 * Simplified Shallue–van de Woestijne–Ulas map to P-256 (RFC 9380 §6.6.2, Z = −10), written
 * directly from the RFC's straight-line description. P-256 has p ≡ 3 (mod 4), so square roots
 * are a single exponentiation. Not constant-time (BigInteger arithmetic).
 */
public final class SswuP256 {
  private static final BigInteger P = P256.P;
  private static final BigInteger A = P.subtract(BigInteger.valueOf(3));
  private static final BigInteger B = P256.B;
  private static final BigInteger Z = P.subtract(BigInteger.TEN);
  private static final BigInteger SQRT_EXP = P.add(BigInteger.ONE).shiftRight(2);
  private static final BigInteger LEGENDRE_EXP = P.subtract(BigInteger.ONE).shiftRight(1);
  /** −B/A. */
  private static final BigInteger MINUS_B_OVER_A = B.negate().multiply(A.modInverse(P)).mod(P);
  /** B/(Z·A), used when tv1 = 0. */
  private static final BigInteger B_OVER_ZA = B.multiply(Z.multiply(A).modInverse(P)).mod(P);

  private SswuP256() {}

  /** Maps a field element u (0 ≤ u < p) to a point on P-256. */
  public static ECPoint map(BigInteger u) {
    BigInteger u2 = u.multiply(u).mod(P);
    BigInteger zu2 = Z.multiply(u2).mod(P);
    BigInteger tv1 = inv0(zu2.multiply(zu2).add(zu2).mod(P));
    BigInteger x1 = tv1.signum() == 0
        ? B_OVER_ZA
        : MINUS_B_OVER_A.multiply(BigInteger.ONE.add(tv1)).mod(P);
    BigInteger gx1 = g(x1);
    BigInteger x;
    BigInteger y;
    if (isSquare(gx1)) {
      x = x1;
      y = gx1.modPow(SQRT_EXP, P);
    } else {
      x = zu2.multiply(x1).mod(P);
      y = g(x).modPow(SQRT_EXP, P);
    }
    if (u.testBit(0) != y.testBit(0)) {
      y = P.subtract(y).mod(P);
    }
    return P256.CURVE.validatePoint(x, y);
  }

  private static BigInteger g(BigInteger x) {
    return x.multiply(x).add(A).multiply(x).add(B).mod(P);
  }

  private static boolean isSquare(BigInteger v) {
    BigInteger l = v.modPow(LEGENDRE_EXP, P);
    return l.signum() == 0 || l.equals(BigInteger.ONE);
  }

  private static BigInteger inv0(BigInteger v) {
    return v.signum() == 0 ? BigInteger.ZERO : v.modInverse(P);
  }
}
