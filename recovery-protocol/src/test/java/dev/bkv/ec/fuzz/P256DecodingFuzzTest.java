package dev.bkv.ec.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.bkv.ec.P256;
import dev.bkv.ec.Point;
import dev.bkv.ec.Scalar;
import dev.bkv.recovery.BadInputException;

/**
 * Fuzz targets for P-256 point and scalar decoding. Property: decoding throws only
 * {@link BadInputException}; a decoded point re-encodes to exactly the input (compressed for 33
 * bytes, uncompressed for 65) and the compressed and uncompressed forms decode to the same point.
 */
class P256DecodingFuzzTest {
  @FuzzTest
  void decodePoint(byte[] data) throws BadInputException {
    Point p;
    try {
      p = P256.decodePoint(data);
    } catch (BadInputException expected) {
      return;
    }
    byte[] again = data.length == Point.COMPRESSED_LENGTH ? p.toCompressed() : p.toUncompressed();
    assertArrayEquals(data, again, "decode -> encode is not the identity");
    assertEquals(p, P256.decodePoint(p.toCompressed()));
    assertEquals(p, P256.decodePoint(p.toUncompressed()));
  }

  @FuzzTest
  void decodeScalar(byte[] data) {
    try {
      assertArrayEquals(data, Scalar.decode(data).encode(), "decode -> encode is not the identity");
    } catch (BadInputException expected) {
      // rejected input
    }
  }
}
