package dev.bkv.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.bouncycastle.util.encoders.Hex;

/** Reads the vector files under {@code src/test/resources/vectors} (see PROVENANCE.md there). */
public final class Vectors {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Vectors() {}

  public static JsonNode load(String name) {
    try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource /vectors/" + name);
      }
      return MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Hex with or without a 0x prefix. */
  public static byte[] hex(String s) {
    return Hex.decode(s.startsWith("0x") ? s.substring(2) : s);
  }

  public static byte[] hex(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null) {
      throw new IllegalStateException("vector has no field " + field);
    }
    return hex(v.asText());
  }
}
