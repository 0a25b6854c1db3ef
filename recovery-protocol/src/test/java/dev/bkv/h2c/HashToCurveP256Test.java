package dev.bkv.h2c;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bkv.ec.P256;
import dev.bkv.h2c.internal.SswuP256;
import dev.bkv.testing.Vectors;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HashToCurveP256Test {
  record Case(String suite, String dst, JsonNode v) {
    @Override
    public String toString() {
      return suite + " msg=\"" + abbreviate(v.get("msg").asText()) + "\"";
    }
  }

  static String abbreviate(String s) {
    return s.length() > 20 ? s.substring(0, 20) + "…(" + s.length() + ")" : s;
  }

  static List<Case> cases(String file) {
    JsonNode root = Vectors.load(file);
    List<Case> out = new ArrayList<>();
    for (JsonNode v : root.get("vectors")) {
      out.add(new Case(root.get("ciphersuite").asText(), root.get("dst").asText(), v));
    }
    return out;
  }

  static List<Case> ro() {
    return cases("hash2curve-rfc9380-P256_XMD-SHA-256_SSWU_RO_.json");
  }

  static List<Case> nu() {
    return cases("hash2curve-rfc9380-P256_XMD-SHA-256_SSWU_NU_.json");
  }

  @Test
  void allVectorsPresent() {
    assertEquals(5, ro().size());
    assertEquals(5, nu().size());
  }

  @ParameterizedTest
  @MethodSource("ro")
  void randomOracle(Case c) {
    byte[] msg = c.v.get("msg").asText().getBytes(StandardCharsets.US_ASCII);
    byte[] dst = c.dst.getBytes(StandardCharsets.US_ASCII);
    BigInteger[] u = HashToCurveP256.hashToField(msg, dst, 2, P256.P);
    assertEquals(new BigInteger(1, Vectors.hex(c.v.get("u").get(0).asText())), u[0]);
    assertEquals(new BigInteger(1, Vectors.hex(c.v.get("u").get(1).asText())), u[1]);
    assertPoint(c.v.get("Q0"), SswuP256.map(u[0]));
    assertPoint(c.v.get("Q1"), SswuP256.map(u[1]));
    assertPoint(c.v.get("P"), HashToCurveP256.hashToCurve(msg, dst));
  }

  @ParameterizedTest
  @MethodSource("nu")
  void nonUniform(Case c) {
    byte[] msg = c.v.get("msg").asText().getBytes(StandardCharsets.US_ASCII);
    byte[] dst = c.dst.getBytes(StandardCharsets.US_ASCII);
    BigInteger[] u = HashToCurveP256.hashToField(msg, dst, 1, P256.P);
    assertEquals(new BigInteger(1, Vectors.hex(c.v.get("u").get(0).asText())), u[0]);
    assertPoint(c.v.get("Q"), SswuP256.map(u[0]));
    assertPoint(c.v.get("P"), HashToCurveP256.encodeToCurve(msg, dst));
  }

  static void assertPoint(JsonNode expected, ECPoint actual) {
    ECPoint n = actual.normalize();
    assertArrayEquals(Vectors.hex(expected.get("x").asText()),
        BigIntegers.asUnsignedByteArray(32, n.getAffineXCoord().toBigInteger()));
    assertArrayEquals(Vectors.hex(expected.get("y").asText()),
        BigIntegers.asUnsignedByteArray(32, n.getAffineYCoord().toBigInteger()));
  }
}
