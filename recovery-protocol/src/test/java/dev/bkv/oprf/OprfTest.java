package dev.bkv.oprf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bkv.ec.P256;
import dev.bkv.ec.Point;
import dev.bkv.ec.Scalar;
import dev.bkv.recovery.BadInputException;
import dev.bkv.testing.Vectors;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** All RFC 9497 P256-SHA256 mode-0 vectors (every batch element). */
class OprfTest {
  record Case(int index, int batchIndex, byte[] sk, byte[] blind, byte[] blinded,
      byte[] evaluated, byte[] input, byte[] output) {
    @Override
    public String toString() {
      return "vector " + index + " element " + batchIndex;
    }
  }

  static JsonNode suite() {
    for (JsonNode e : Vectors.load("oprf-rfc9497-allVectors.json")) {
      if (e.get("identifier").asText().equals("P256-SHA256") && e.get("mode").asInt() == 0) {
        return e;
      }
    }
    throw new IllegalStateException("no P256-SHA256 mode 0 entry");
  }

  static List<Case> cases() {
    JsonNode s = suite();
    List<Case> out = new ArrayList<>();
    int i = 0;
    for (JsonNode v : s.get("vectors")) {
      int batch = v.get("Batch").asInt();
      String[][] cols = new String[6][];
      String[] names = {"Blind", "BlindedElement", "EvaluationElement", "Input", "Output"};
      for (int c = 0; c < names.length; c++) {
        cols[c] = v.get(names[c]).asText().split(",");
        assertEquals(batch, cols[c].length, names[c] + " batch size");
      }
      for (int b = 0; b < batch; b++) {
        out.add(new Case(i, b, Vectors.hex(s, "skSm"), Vectors.hex(cols[0][b]),
            Vectors.hex(cols[1][b]), Vectors.hex(cols[2][b]), Vectors.hex(cols[3][b]),
            Vectors.hex(cols[4][b])));
      }
      i++;
    }
    return out;
  }

  @Test
  void vectorFileHasBothMode0Vectors() {
    assertEquals(2, cases().size());
  }

  @Test
  void deriveKeyPairMatchesSkSm() throws Exception {
    JsonNode s = suite();
    Oprf.KeyPair kp = Oprf.deriveKeyPair(Vectors.hex(s, "seed"), Vectors.hex(s, "keyInfo"));
    assertArrayEquals(Vectors.hex(s, "skSm"), kp.privateKey().encode());
    assertEquals(P256.multiplyGenerator(kp.privateKey()), kp.publicKey());
  }

  @ParameterizedTest
  @MethodSource("cases")
  void protocolMatchesVector(Case c) throws Exception {
    Oprf.Blinded b = Oprf.blind(c.input, Scalar.decodeNonZero(c.blind));
    assertArrayEquals(c.blinded, b.blindedElement().toCompressed());
    Point evaluated = Oprf.blindEvaluate(Scalar.decodeNonZero(c.sk),
        P256.decodeCompressed(c.blinded, "blinded element"));
    assertArrayEquals(c.evaluated, evaluated.toCompressed());
    assertArrayEquals(c.output, Oprf.finalizeOutput(c.input, b.blind(), evaluated));
  }

  @Test
  void randomBlindsGiveTheSameOutput() throws Exception {
    SecureRandom rng = new SecureRandom();
    Scalar sk = Scalar.random(rng);
    byte[] input = "correct horse".getBytes();
    Oprf.Blinded b1 = Oprf.blind(input, rng);
    Oprf.Blinded b2 = Oprf.blind(input, rng);
    assertFalse(b1.blindedElement().equals(b2.blindedElement()));
    byte[] o1 = Oprf.finalizeOutput(input, b1.blind(), Oprf.blindEvaluate(sk, b1.blindedElement()));
    byte[] o2 = Oprf.finalizeOutput(input, b2.blind(), Oprf.blindEvaluate(sk, b2.blindedElement()));
    assertArrayEquals(o1, o2);
    byte[] other = Oprf.finalizeOutput("other".getBytes(), b1.blind(),
        Oprf.blindEvaluate(sk, b1.blindedElement()));
    assertFalse(Arrays.equals(o1, other));
  }

  @Test
  void rejectsZeroBlindAndOversizedInput() {
    assertThrows(BadInputException.class, () -> Oprf.blind(new byte[1], zero()));
    assertThrows(BadInputException.class, () -> Oprf.hashToGroup(new byte[65536]));
  }

  private static Scalar zero() throws BadInputException {
    return Scalar.decode(new byte[32]);
  }
}
