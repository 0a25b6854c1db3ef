package dev.bkv.oprf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bkv.ec.P256;
import dev.bkv.ec.Point;
import dev.bkv.ec.Scalar;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * bkv's RFC 9497 OPRF (P256-SHA256, mode 0) against an independent implementation,
 * {@code @noble/curves} 2.4.0 run by Node: each side plays client and server for the other, and
 * both must reach the output of the non-interactive Evaluate.
 */
class OprfInteropTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final int ROUNDS = 200;
  private static NodePeer noble;

  @BeforeAll
  static void start() throws Exception {
    noble = new NodePeer();
  }

  @AfterAll
  static void stop() throws Exception {
    noble.close();
  }

  @Test
  void nobleClientBkvServer() throws Exception {
    Random seeds = new Random(9497);
    SecureRandom rng = new SecureRandom();
    for (int i = 0; i < ROUNDS; i++) {
      byte[] input = new byte[1 + seeds.nextInt(64)];
      seeds.nextBytes(input);
      Scalar key = Scalar.random(rng);
      JsonNode b = noble.call(Map.of("op", "blind", "input", HEX.formatHex(input)));
      Point blinded = P256.decodePoint(HEX.parseHex(b.get("blinded").asText()));
      Point evaluated = Oprf.blindEvaluate(key, blinded);
      JsonNode fin = noble.call(Map.of("op", "finalize", "input", HEX.formatHex(input),
          "blind", b.get("blind").asText(), "evaluated", HEX.formatHex(evaluated.toCompressed())));
      byte[] expected = evaluate(key, input);
      assertArrayEquals(expected, HEX.parseHex(fin.get("output").asText()), "round " + i);
      JsonNode theirs = noble.call(Map.of("op", "evaluate", "key", HEX.formatHex(key.encode()),
          "input", HEX.formatHex(input)));
      assertArrayEquals(expected, HEX.parseHex(theirs.get("output").asText()), "round " + i);
    }
  }

  @Test
  void bkvClientNobleServer() throws Exception {
    Random seeds = new Random(6962);
    SecureRandom rng = new SecureRandom();
    int agreed = 0;
    for (int i = 0; i < ROUNDS; i++) {
      byte[] input = new byte[1 + seeds.nextInt(64)];
      seeds.nextBytes(input);
      Scalar key = Scalar.random(rng);
      Oprf.Blinded b = Oprf.blind(input, rng);
      JsonNode ev = noble.call(Map.of("op", "blindEvaluate", "key", HEX.formatHex(key.encode()),
          "blinded", HEX.formatHex(b.blindedElement().toCompressed())));
      Point evaluated = P256.decodePoint(HEX.parseHex(ev.get("evaluated").asText()));
      byte[] output = Oprf.finalizeOutput(input, b.blind(), evaluated);
      JsonNode theirs = noble.call(Map.of("op", "evaluate", "key", HEX.formatHex(key.encode()),
          "input", HEX.formatHex(input)));
      assertArrayEquals(HEX.parseHex(theirs.get("output").asText()), output, "round " + i);
      agreed++;
    }
    assertEquals(ROUNDS, agreed);
  }

  /** Evaluate(skS, input) from bkv's own parts: Finalize with blind 1 of skS·H(input). */
  private static byte[] evaluate(Scalar key, byte[] input) throws Exception {
    return Oprf.finalizeOutput(input, Scalar.one(), Oprf.hashToGroup(input).multiply(key));
  }
}
