package dev.bkv.evidence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;

/**
 * The one JSON dialect of evidence files: properties sorted by name at every level (records,
 * maps and JSON trees alike, so {@code jq -cjS} reproduces the canonical bytes), no floating
 * point, unknown properties rejected. Writing the same value twice gives the same bytes, which is what makes
 * proofs of possession re-verifiable and payloads reproducible.
 */
public final class Json {
  private static final ObjectMapper COMPACT = JsonMapper.builder()
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
      .build();
  private static final ObjectMapper PRETTY = COMPACT.copy().enable(SerializationFeature.INDENT_OUTPUT);

  private Json() {}

  /** Compact canonical bytes (what signatures cover). */
  public static byte[] canonical(Object value) {
    try {
      return COMPACT.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
    }
  }

  /** Indented UTF-8 text with a final newline (what files hold). */
  public static byte[] pretty(Object value) {
    try {
      return (PRETTY.writeValueAsString(value) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
    }
  }

  /** Parses {@code bytes} as {@code type}; {@code what} names the input in the error. */
  public static <T> T parse(byte[] bytes, Class<T> type, String what) throws MalformedEvidenceException {
    try {
      T v = COMPACT.readValue(bytes, type);
      if (v == null) {
        throw new MalformedEvidenceException(what + " is JSON null; expected a "
            + type.getSimpleName());
      }
      return v;
    } catch (java.io.IOException | IllegalArgumentException e) {
      String reason = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      Throwable root = e.getCause();
      if (root instanceof IllegalArgumentException && root.getMessage() != null) {
        reason = root.getMessage();
      }
      throw new MalformedEvidenceException(what + " is not a valid " + type.getSimpleName()
          + ": " + reason, e);
    }
  }
}
