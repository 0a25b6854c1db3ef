package dev.bkv.transparency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Runs every transparency-dev/merkle vector in {@code vectors/merkle-rfc6962} (see PROVENANCE). */
class MerkleVectorsTest {

  private static final String ROOT = "/vectors/merkle-rfc6962/";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One vector file: its path, and its JSON content after the checksum matched. */
  record Vector(String path, JsonNode json) {
    boolean wantErr() {
      return json.get("wantErr").asBoolean();
    }

    @Override
    public String toString() {
      return path;
    }
  }

  static List<Vector> all() {
    List<Vector> out = new ArrayList<>();
    for (String line : new String(read("SHA256SUMS"), StandardCharsets.UTF_8).split("\n")) {
      String sum = line.substring(0, 64);
      String path = line.substring(66);
      byte[] content = read(path);
      try {
        String actual = HexFormat.of().formatHex(
            MessageDigest.getInstance("SHA-256").digest(content));
        if (!actual.equals(sum)) {
          throw new IllegalStateException(path + " has SHA-256 " + actual + "; expected " + sum);
        }
        out.add(new Vector(path, JSON.readTree(content)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
    return out;
  }

  static Stream<Vector> inclusion() {
    return all().stream().filter(v -> v.path().startsWith("inclusion/"));
  }

  static Stream<Vector> consistency() {
    return all().stream().filter(v -> v.path().startsWith("consistency/"));
  }

  /** Only the happy paths describe a real tree (the reference leaves in MerkleTreeTest). */
  static Stream<Vector> inclusionHappyPaths() {
    return inclusion().filter(v -> !v.wantErr());
  }

  static Stream<Vector> consistencyHappyPaths() {
    return consistency().filter(v -> !v.wantErr());
  }

  @Test
  void everyPublishedCaseIsRun() {
    List<Vector> all = all();
    assertEquals(98, all.size());
    assertEquals(49, inclusion().count());
    assertEquals(49, consistency().count());
    assertEquals(7, all.stream().filter(v -> !v.wantErr()).count());
    assertEquals(3, inclusionHappyPaths().count());
    assertEquals(4, consistencyHappyPaths().count());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inclusion")
  void inclusionVector(Vector v) {
    JsonNode j = v.json();
    Executable check = () -> MerkleProofs.verifyInclusion(hash(j.get("leafHash")),
        j.get("leafIdx").asLong(), j.get("treeSize").asLong(), hashes(j.get("proof")),
        hash(j.get("root")));
    run(v, check);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("consistency")
  void consistencyVector(Vector v) {
    JsonNode j = v.json();
    Executable check = () -> MerkleProofs.verifyConsistency(j.get("size1").asLong(),
        j.get("size2").asLong(), hashes(j.get("proof")), hash(j.get("root1")),
        hash(j.get("root2")));
    run(v, check);
  }

  /** Valid cases must pass; invalid ones must fail with one of our typed errors. */
  private static void run(Vector v, Executable check) {
    if (v.wantErr()) {
      TransparencyException e = assertThrows(TransparencyException.class, check::run, v.path());
      assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), v.path());
    } else {
      try {
        check.run();
      } catch (TransparencyException e) {
        throw new AssertionError(v.path() + " should verify but failed: " + e.getMessage(), e);
      }
    }
  }

  @FunctionalInterface
  interface Executable {
    void run() throws TransparencyException;
  }

  static Sha256Hash hash(JsonNode node) throws MalformedInputException {
    return Sha256Hash.of(Base64.getDecoder().decode(node.asText()));
  }

  static List<Sha256Hash> hashes(JsonNode node) throws MalformedInputException {
    List<Sha256Hash> out = new ArrayList<>();
    if (node != null && !node.isNull()) {
      for (JsonNode h : node) {
        out.add(hash(h));
      }
    }
    return out;
  }

  static byte[] read(String path) {
    try (InputStream in = MerkleVectorsTest.class.getResourceAsStream(ROOT + path)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + ROOT + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
