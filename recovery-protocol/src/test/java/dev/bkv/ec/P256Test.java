package dev.bkv.ec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.recovery.BadInputException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.util.BigIntegers;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

class P256Test {
  private final SecureRandom rng = new SecureRandom();

  @Test
  void compressedAndUncompressedRoundTrip() throws Exception {
    for (int i = 0; i < 50; i++) {
      Point p = P256.multiplyGenerator(Scalar.random(rng));
      assertEquals(p, P256.decodePoint(p.toCompressed()));
      assertEquals(p, P256.decodePoint(p.toUncompressed()));
      assertEquals(33, p.toCompressed().length);
      assertEquals(65, p.toUncompressed().length);
    }
  }

  @Test
  void rejectsWrongPrefixWithNamedMessage() {
    byte[] enc = P256.generator().toCompressed();
    enc[0] = 0x05;
    BadInputException e = assertThrows(BadInputException.class, () -> P256.decodePoint(enc));
    assertEquals("point prefix 0x05; expected 0x02 or 0x03", e.getMessage());
    byte[] unc = P256.generator().toUncompressed();
    unc[0] = 0x06; // hybrid encodings are not accepted
    assertThrows(BadInputException.class, () -> P256.decodePoint(unc));
  }

  @Test
  void rejectsIdentityAndWrongLengths() {
    assertThrows(BadInputException.class, () -> P256.decodePoint(new byte[] {0}));
    assertThrows(BadInputException.class, () -> P256.decodePoint(new byte[0]));
    assertThrows(BadInputException.class, () -> P256.decodePoint(new byte[32]));
    assertThrows(BadInputException.class, () -> P256.decodePoint(new byte[34]));
    assertThrows(BadInputException.class, () -> P256.decodePoint(null));
    byte[] enc = P256.generator().toUncompressed();
    assertThrows(BadInputException.class,
        () -> P256.decodeCompressed(enc, "blinded element"));
  }

  @Test
  void rejectsNonCanonicalCoordinates() {
    Point g = P256.generator();
    // x + p is the same field element but not canonical.
    byte[] enc = g.toUncompressed();
    BigInteger xPlusP = new BigInteger(1, Arrays.copyOfRange(enc, 1, 33)).add(P256.P);
    if (xPlusP.bitLength() <= 256) {
      System.arraycopy(BigIntegers.asUnsignedByteArray(32, xPlusP), 0, enc, 1, 32);
      assertThrows(BadInputException.class, () -> P256.decodePoint(enc));
    }
    byte[] allFf = new byte[33];
    Arrays.fill(allFf, (byte) 0xff);
    allFf[0] = 0x02;
    BadInputException e = assertThrows(BadInputException.class, () -> P256.decodePoint(allFf));
    assertTrue(e.getMessage().contains(">= p"), e.getMessage());
    // y = p - y' with y' small: construct an uncompressed point whose y is y + p when possible.
    byte[] unc = g.toUncompressed();
    BigInteger y = new BigInteger(1, Arrays.copyOfRange(unc, 33, 65));
    BigInteger yPlusP = y.add(P256.P);
    if (yPlusP.bitLength() <= 256) {
      System.arraycopy(BigIntegers.asUnsignedByteArray(32, yPlusP), 0, unc, 33, 32);
      assertThrows(BadInputException.class, () -> P256.decodePoint(unc));
    }
  }

  @Test
  void rejectsOffCurvePoint() {
    byte[] enc = P256.generator().toUncompressed();
    enc[64] ^= 1;
    BadInputException e = assertThrows(BadInputException.class, () -> P256.decodePoint(enc));
    assertTrue(e.getMessage().contains("not on P-256"), e.getMessage());
  }

  @Test
  void scalarsAreCanonical() throws Exception {
    assertThrows(BadInputException.class,
        () -> Scalar.decode(BigIntegers.asUnsignedByteArray(32, P256.N)));
    assertThrows(BadInputException.class, () -> Scalar.decode(new byte[31]));
    assertThrows(BadInputException.class, () -> Scalar.decode(new byte[33]));
    assertThrows(BadInputException.class, () -> Scalar.decodeNonZero(new byte[32]));
    byte[] nMinus1 = BigIntegers.asUnsignedByteArray(32, P256.N.subtract(BigInteger.ONE));
    assertArrayEquals(nMinus1, Scalar.decodeNonZero(nMinus1).encode());
    assertTrue(Scalar.decode(new byte[32]).isZero());
  }

  @Test
  void scalarInverseAndToStringRedacted() throws Exception {
    Scalar s = Scalar.random(rng);
    Point p = P256.multiplyGenerator(s);
    assertEquals(P256.generator(), p.multiply(s.invert()));
    assertEquals("Scalar[redacted]", s.toString());
  }

  @Test
  void generatorEncodingIsTheKnownOne() throws Exception {
    assertArrayEquals(
        Hex.decode("036b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"),
        P256.generator().toCompressed());
  }
}
