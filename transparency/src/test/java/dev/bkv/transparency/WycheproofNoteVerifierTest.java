package dev.bkv.transparency;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every Wycheproof Ed25519 and ECDSA P-256 verify test, run through the note verifiers. */
class WycheproofNoteVerifierTest {

  static final HexFormat HEX = HexFormat.of();

  /** One test: the verifier key of its group, message, signature and expected outcome. */
  record Case(String file, int tcId, VerifierKey key, byte[] msg, byte[] sig, boolean valid,
      String comment) {
    @Override
    public String toString() {
      return file + " #" + tcId + " " + comment;
    }
  }

  static Stream<Case> ed25519() throws Exception {
    return load("ed25519_test.json",
        "752d2ea7d7c6cf4736381b6cbacb61f8182b126ab7cd9b058f00c50084975536",
        g -> VerifierKey.ed25519("wycheproof", HEX.parseHex(g.get("publicKey").get("pk").asText())))
        .stream();
  }

  static Stream<Case> ecdsa() throws Exception {
    return load("ecdsa_secp256r1_sha256_test.json",
        "182db4f3e230f6f9fa9f800d2a614dede30284b8e8438bbfe1171905402e9332",
        g -> VerifierKey.ecdsa("wycheproof", HEX.parseHex(g.get("publicKeyDer").asText())))
        .stream();
  }

  @Test
  void allTestsAreRun() throws Exception {
    assertEquals(151, ed25519().count());
    assertEquals(88, ed25519().filter(Case::valid).count());
    assertEquals(484, ecdsa().count());
    assertEquals(174, ecdsa().filter(Case::valid).count());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource({"ed25519", "ecdsa"})
  void verifierAgreesWithWycheproof(Case c) {
    assertEquals(c.valid(), c.key().verifier().verify(c.msg(), c.sig()), c.toString());
  }

  interface KeyReader {
    VerifierKey read(JsonNode group) throws MalformedInputException;
  }

  static List<Case> load(String file, String sha256, KeyReader keys) throws Exception {
    byte[] bytes;
    try (InputStream in = WycheproofNoteVerifierTest.class.getResourceAsStream(
        "/vectors/wycheproof/" + file)) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertEquals(sha256, HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), file);
    JsonNode root = new ObjectMapper().readTree(bytes);
    List<Case> out = new ArrayList<>();
    for (JsonNode g : root.get("testGroups")) {
      VerifierKey key = keys.read(g);
      for (JsonNode t : g.get("tests")) {
        String result = t.get("result").asText();
        if (!result.equals("valid") && !result.equals("invalid")) {
          throw new IllegalStateException(file + " #" + t.get("tcId") + " has result " + result);
        }
        out.add(new Case(file, t.get("tcId").asInt(), key, HEX.parseHex(t.get("msg").asText()),
            HEX.parseHex(t.get("sig").asText()), result.equals("valid"),
            t.get("comment").asText()));
      }
    }
    assertEquals(root.get("numberOfTests").asInt(), out.size(), file);
    return out;
  }
}
