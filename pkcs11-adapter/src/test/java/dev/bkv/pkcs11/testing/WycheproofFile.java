package dev.bkv.pkcs11.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A Wycheproof vector file from the test resources of the module that runs it (each folder has
 * a PROVENANCE.md). Modules using this need Jackson on their test classpath.
 *
 * @param name the name it was loaded by; printed in {@link Tally}'s totals
 */
public record WycheproofFile(String name, int numberOfTests, List<WycheproofCase> cases) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The file {@code name} in the {@code src/test/resources/wycheproof/} folder. */
  public static WycheproofFile load(String name) {
    return read(name, "/wycheproof/" + name);
  }

  /** The file at {@code path} under {@code src/test/resources/}, named by that path. */
  public static WycheproofFile loadResource(String path) {
    return read(path, "/" + path);
  }

  private static WycheproofFile read(String name, String resource) {
    try (InputStream in = WycheproofFile.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
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

  /** Decodes a Wycheproof hex field. */
  public static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }
}
