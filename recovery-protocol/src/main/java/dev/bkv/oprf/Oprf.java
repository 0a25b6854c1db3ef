package dev.bkv.oprf;

import dev.bkv.ec.P256;
import dev.bkv.ec.Point;
import dev.bkv.ec.Scalar;
import dev.bkv.h2c.HashToCurveP256;
import dev.bkv.crypto.Sha256;
import dev.bkv.recovery.BadInputException;
import dev.bkv.recovery.InternalFaultException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * RFC 9497 OPRF, mode 0x00 (OPRF), suite P256-SHA256: Blind, BlindEvaluate, Finalize,
 * DeriveKeyPair, HashToGroup and HashToScalar. Stateless; all methods are thread-safe.
 */
public final class Oprf {
  /** contextString = "OPRFV1-" || I2OSP(0, 1) || "-" || "P256-SHA256". */
  private static final byte[] CONTEXT = concat(ascii("OPRFV1-"), new byte[] {0},
      ascii("-P256-SHA256"));
  private static final byte[] HASH_TO_GROUP_DST = concat(ascii("HashToGroup-"), CONTEXT);
  private static final byte[] HASH_TO_SCALAR_DST = concat(ascii("HashToScalar-"), CONTEXT);
  private static final byte[] DERIVE_KEY_PAIR_DST = concat(ascii("DeriveKeyPair"), CONTEXT);
  private static final byte[] FINALIZE = ascii("Finalize");
  /** Output length Nh of SHA-256. */
  public static final int OUTPUT_LENGTH = 32;

  private Oprf() {}

  /** The client's blind and the element sent to the server. */
  public record Blinded(Scalar blind, Point blindedElement) {}

  /** A key pair from {@link #deriveKeyPair}. */
  public record KeyPair(Scalar privateKey, Point publicKey) {}

  /** Blind(input) with a fresh random blind. */
  public static Blinded blind(byte[] input, SecureRandom rng) throws BadInputException {
    return blind(input, Scalar.random(rng));
  }

  /** Blind(input) with a given non-zero blind (test vectors inject it). */
  public static Blinded blind(byte[] input, Scalar blind) throws BadInputException {
    if (blind.isZero()) {
      throw new BadInputException("blind is zero; expected a non-zero scalar");
    }
    return new Blinded(blind, hashToGroup(input).multiply(blind));
  }

  /** BlindEvaluate: skS · blindedElement. */
  public static Point blindEvaluate(Scalar privateKey, Point blindedElement) {
    return blindedElement.multiply(privateKey);
  }

  /** Finalize: unblinds and hashes the input with the unblinded element. */
  public static byte[] finalizeOutput(byte[] input, Scalar blind, Point evaluatedElement)
      throws BadInputException {
    checkLength(input, "OPRF input");
    byte[] unblinded = evaluatedElement.multiply(blind.invert()).toCompressed();
    MessageDigest h = Sha256.newDigest();
    h.update(i2osp2(input.length));
    h.update(input);
    h.update(i2osp2(unblinded.length));
    h.update(unblinded);
    h.update(FINALIZE);
    return h.digest();
  }

  /** HashToGroup: hash_to_curve with DST "HashToGroup-" || contextString; never the identity. */
  public static Point hashToGroup(byte[] input) throws BadInputException {
    checkLength(input, "OPRF input");
    return Point.fromBouncyCastle(HashToCurveP256.hashToCurve(input, HASH_TO_GROUP_DST));
  }

  /** HashToScalar with the default DST "HashToScalar-" || contextString. */
  public static Scalar hashToScalar(byte[] input) {
    return hashToScalar(input, HASH_TO_SCALAR_DST);
  }

  /** HashToScalar: hash_to_field modulo the group order with the given DST. */
  public static Scalar hashToScalar(byte[] input, byte[] dst) {
    return Scalar.reduce(HashToCurveP256.hashToField(input, dst, 1, P256.N)[0]);
  }

  /** DeriveKeyPair(seed, info) per RFC 9497 §3.2.1. */
  public static KeyPair deriveKeyPair(byte[] seed, byte[] info) throws InternalFaultException {
    Scalar sk = derivePrivateKey(seed, info);
    return new KeyPair(sk, P256.multiplyGenerator(sk));
  }

  /** The private half of {@link #deriveKeyPair}, without computing the public key. */
  public static Scalar derivePrivateKey(byte[] seed, byte[] info) throws InternalFaultException {
    if (info.length > 0xffff) {
      throw new IllegalArgumentException("info is " + info.length + " bytes; at most 65535");
    }
    byte[] deriveInput = concat(seed, i2osp2(info.length), info, new byte[1]);
    for (int counter = 0; counter <= 255; counter++) {
      deriveInput[deriveInput.length - 1] = (byte) counter;
      Scalar sk = hashToScalar(deriveInput, DERIVE_KEY_PAIR_DST);
      if (!sk.isZero()) {
        return sk;
      }
    }
    throw new InternalFaultException("DeriveKeyPair found no non-zero scalar in 256 attempts");
  }

  private static void checkLength(byte[] input, String what) throws BadInputException {
    if (input.length > 0xffff) {
      throw new BadInputException(what + " is " + input.length + " bytes; at most 65535");
    }
  }

  static byte[] i2osp2(int v) {
    return new byte[] {(byte) (v >>> 8), (byte) v};
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.write(p, 0, p.length);
    }
    return out.toByteArray();
  }

}
