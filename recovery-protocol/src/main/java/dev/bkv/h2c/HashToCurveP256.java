package dev.bkv.h2c;

import dev.bkv.ec.P256;
import dev.bkv.h2c.internal.SswuP256;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.math.ec.ECPoint;

/**
 * RFC 9380 suites {@code P256_XMD:SHA-256_SSWU_RO_} ({@link #hashToCurve}) and
 * {@code P256_XMD:SHA-256_SSWU_NU_} ({@link #encodeToCurve}), plus {@code hash_to_field} over
 * any prime (used with the group order for RFC 9497 HashToScalar). L = 48 bytes per element.
 *
 * <p>Results are BouncyCastle points that may, with negligible probability, be the identity;
 * callers that need a non-identity element check for it (RFC 9497 Blind does).
 */
public final class HashToCurveP256 {
  /** Bytes per field element: ceil((ceil(log2(p)) + k) / 8) with k = 128. */
  public static final int L = 48;

  private HashToCurveP256() {}

  /** hash_to_field(msg, count) modulo {@code modulus} with expand_message_xmd/SHA-256. */
  public static BigInteger[] hashToField(byte[] msg, byte[] dst, int count, BigInteger modulus) {
    byte[] uniform = ExpandMessageXmd.expand(msg, dst, count * L);
    BigInteger[] out = new BigInteger[count];
    for (int i = 0; i < count; i++) {
      out[i] = new BigInteger(1, Arrays.copyOfRange(uniform, i * L, (i + 1) * L)).mod(modulus);
    }
    return out;
  }

  /** Random-oracle encoding: map two field elements and add (cofactor is 1). */
  public static ECPoint hashToCurve(byte[] msg, byte[] dst) {
    BigInteger[] u = hashToField(msg, dst, 2, P256.P);
    ECPoint q0 = SswuP256.map(u[0]);
    ECPoint q1 = SswuP256.map(u[1]);
    return q0.add(q1).normalize();
  }

  /** Non-uniform encoding: map one field element. */
  public static ECPoint encodeToCurve(byte[] msg, byte[] dst) {
    BigInteger[] u = hashToField(msg, dst, 1, P256.P);
    return SswuP256.map(u[0]);
  }
}
