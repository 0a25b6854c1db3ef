package dev.bkv.wycheproof;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** A Wycheproof vector file under {@code src/test/resources/} (path given; see PROVENANCE.md there). */
public record WycheproofFile(String name, int numberOfTests, List<WycheproofCase> cases) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public static WycheproofFile load(String name) {
    try (InputStream in = WycheproofFile.class.getResourceAsStream("/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource /" + name);
      }
      JsonNode root = MAPPER.readTree(in);
      List<WycheproofCase> cases = new ArrayList<>();
      for (JsonNode g : root.get("testGroups")) {
        for (JsonNode t : g.get("tests")) {
          cases.add(WycheproofCase.of(g, t));
        }
      }
      if (cases.size() != root.get("numberOfTests").asInt()) {
        throw new IllegalStateException(name + " has " + cases.size() + " tests; header says "
            + root.get("numberOfTests").asInt());
      }
      return new WycheproofFile(name, cases.size(), List.copyOf(cases));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Tally tally(String path) {
    return new Tally(name, path);
  }

  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }
}
