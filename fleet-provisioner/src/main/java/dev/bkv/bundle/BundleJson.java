package dev.bkv.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON of the files a client reads and keeps ({@link CosignedBundle}, {@link ClientState}):
 * unknown properties, missing properties and nulls for numbers rejected; written indented, with a
 * final newline.
 */
final class BundleJson {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .build();

  private BundleJson() {}

  static <T> T read(byte[] json, Class<T> type) throws IOException {
    return JSON.readValue(json, type);
  }

  static byte[] write(Object value) throws JsonProcessingException {
    return (JSON.writeValueAsString(value) + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
