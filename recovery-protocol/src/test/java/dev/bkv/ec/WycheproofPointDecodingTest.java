package dev.bkv.ec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bkv.recovery.BadInputException;
import dev.bkv.testing.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every case of Wycheproof's ecdh_secp256r1_ecpoint_test.json through {@link P256#decodePoint}. */
class WycheproofPointDecodingTest {
  record Case(int tcId, String comment, String result, byte[] pub, byte[] priv, byte[] shared) {
    @Override
    public String toString() {
      return tcId + " " + result + " " + comment;
    }
  }

  static List<Case> cases() {
    JsonNode root = Vectors.load("ecdh_secp256r1_ecpoint_test.json");
    List<Case> out = new ArrayList<>();
    for (JsonNode g : root.get("testGroups")) {
      for (JsonNode t : g.get("tests")) {
        out.add(new Case(t.get("tcId").asInt(), t.get("comment").asText(),
            t.get("result").asText(), Vectors.hex(t, "public"), Vectors.hex(t, "private"),
            Vectors.hex(t, "shared")));
      }
    }
    return out;
  }

  static Stream<Case> allCases() {
    return cases().stream();
  }

  @Test
  void countsMatchTheFile() {
    JsonNode root = Vectors.load("ecdh_secp256r1_ecpoint_test.json");
    List<Case> all = cases();
    assertEquals(root.get("numberOfTests").asInt(), all.size());
    assertEquals(355, all.size());
    assertEquals(330, all.stream().filter(c -> c.result.equals("valid")).count());
    assertEquals(1, all.stream().filter(c -> c.result.equals("acceptable")).count());
    assertEquals(24, all.stream().filter(c -> c.result.equals("invalid")).count());
  }

  @ParameterizedTest
  @MethodSource("allCases")
  void decoderAgreesWithWycheproof(Case c) throws Exception {
    if (c.result.equals("invalid")) {
      assertThrows(BadInputException.class, () -> P256.decodePoint(c.pub));
      return;
    }
    // valid and acceptable (a compressed point, which bkv accepts): decode and check ECDH.
    Point peer = P256.decodePoint(c.pub);
    byte[] priv = c.priv;
    if (priv.length == 33 && priv[0] == 0) {
      priv = java.util.Arrays.copyOfRange(priv, 1, 33);
    }
    byte[] padded = new byte[32];
    System.arraycopy(priv, 0, padded, 32 - priv.length, priv.length);
    Scalar d = Scalar.decodeNonZero(padded);
    assertArrayEquals(c.shared, peer.multiply(d).x());
  }
}
