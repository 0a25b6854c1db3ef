package dev.bkv.pkcs11.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.TreeSet;

/** One Wycheproof test with its group, for display and field access. */
public record WycheproofCase(int tcId, String comment, String result, Set<String> flags,
    JsonNode group, JsonNode test) {
  public static WycheproofCase of(JsonNode group, JsonNode test) {
    Set<String> flags = new TreeSet<>();
    test.get("flags").forEach(f -> flags.add(f.asText()));
    return new WycheproofCase(test.get("tcId").asInt(), test.get("comment").asText(),
        test.get("result").asText(), flags, group, test);
  }

  public byte[] hex(String field) {
    return WycheproofFile.hex(test.get(field).asText());
  }

  public int groupInt(String field) {
    return group.get(field).asInt();
  }

  public boolean valid() {
    return result.equals("valid");
  }

  @Override
  public String toString() {
    return "tcId " + tcId + " (" + result + ", " + flags + ", " + comment + ")";
  }
}
