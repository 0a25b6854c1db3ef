package dev.bkv.h2c;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bkv.testing.Vectors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ExpandMessageXmdTest {
  record Case(String file, String dst, JsonNode t) {
    @Override
    public String toString() {
      return file.replace("hash2curve-rfc9380-expand_message_xmd_SHA256_", "dst") + " len="
          + t.get("len_in_bytes").asText() + " msg=" + HashToCurveP256Test.abbreviate(
              t.get("msg").asText());
    }
  }

  static List<Case> cases() {
    List<Case> out = new ArrayList<>();
    for (String f : List.of("hash2curve-rfc9380-expand_message_xmd_SHA256_38.json",
        "hash2curve-rfc9380-expand_message_xmd_SHA256_256.json")) {
      JsonNode root = Vectors.load(f);
      for (JsonNode t : root.get("tests")) {
        out.add(new Case(f.replace(".json", ""), root.get("DST").asText(), t));
      }
    }
    return out;
  }

  @Test
  void allTwentyVectorsPresent() {
    assertEquals(20, cases().size());
  }

  @ParameterizedTest
  @MethodSource("cases")
  void matchesRfc9380(Case c) {
    int len = Integer.decode(c.t.get("len_in_bytes").asText());
    byte[] out = ExpandMessageXmd.expand(
        c.t.get("msg").asText().getBytes(StandardCharsets.US_ASCII),
        c.dst.getBytes(StandardCharsets.US_ASCII), len);
    assertArrayEquals(Vectors.hex(c.t, "uniform_bytes"), out);
  }

  @Test
  void rejectsOversizedOutputAndEmptyDst() {
    assertThrows(IllegalArgumentException.class,
        () -> ExpandMessageXmd.expand(new byte[0], new byte[] {1}, 255 * 32 + 1));
    assertThrows(IllegalArgumentException.class,
        () -> ExpandMessageXmd.expand(new byte[0], new byte[0], 32));
  }
}
