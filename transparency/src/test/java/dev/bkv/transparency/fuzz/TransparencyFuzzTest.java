package dev.bkv.transparency.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bkv.transparency.MalformedInputException;
import dev.bkv.transparency.Checkpoint;
import dev.bkv.transparency.MerkleProofs;
import dev.bkv.transparency.Note;
import dev.bkv.transparency.NoteLimits;
import dev.bkv.transparency.NoteVerifier;
import dev.bkv.transparency.Sha256Hash;
import dev.bkv.transparency.SignedNotes;
import dev.bkv.transparency.TransparencyException;
import dev.bkv.transparency.VerifiedNote;
import dev.bkv.transparency.VerifierKey;
import dev.bkv.transparency.internal.TilePath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz targets for the transparency parsers and verifiers. Property: only the package's typed
 * {@link TransparencyException}s escape; parse → encode round trips are the identity; a root
 * computed from an inclusion proof verifies. Seeds (the signed-note vectors, checkpoints, tile
 * paths) are in {@code src/test/resources/dev/bkv/transparency/fuzz/TransparencyFuzzTestInputs/}.
 */
class TransparencyFuzzTest {
  /** The well-formed keys of the signed-note vectors, trusted by {@link #noteOpen}. */
  private static final List<NoteVerifier> TRUSTED = trusted();

  private static List<NoteVerifier> trusted() {
    try (InputStream in = TransparencyFuzzTest.class.getResourceAsStream(
        "/vectors/signed-note/vectors.json")) {
      List<NoteVerifier> out = new ArrayList<>();
      for (JsonNode k : new ObjectMapper().readTree(in).get("keys")) {
        try {
          out.add(VerifierKey.parse(k.get("vkey").asText()).verifier());
        } catch (MalformedInputException e) {
          // a vector key this module does not support; not trusted
        }
      }
      return List.copyOf(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest
  void noteParse(byte[] data) {
    try {
      assertArrayEquals(data, Note.parse(data, NoteLimits.DEFAULT).toBytes());
    } catch (MalformedInputException expected) {
      // rejected input
    }
  }

  @FuzzTest
  void noteOpen(byte[] data) {
    try {
      VerifiedNote v = SignedNotes.open(data, TRUSTED);
      assertEquals(new String(data, StandardCharsets.UTF_8).substring(0, v.text().length()),
          v.text());
    } catch (TransparencyException expected) {
      // rejected or unverified note
    }
  }

  @FuzzTest
  void verifierKeyParse(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    try {
      VerifierKey k = VerifierKey.parse(text);
      assertEquals(k, VerifierKey.parse(k.encode()));
    } catch (MalformedInputException expected) {
      // rejected input
    }
  }

  @FuzzTest
  void checkpointParse(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    try {
      assertEquals(text, Checkpoint.parse(text).toText());
    } catch (MalformedInputException expected) {
      // rejected input
    }
  }

  @FuzzTest
  void tilePath(byte[] data) {
    String path = new String(data, StandardCharsets.UTF_8);
    TilePath t = TilePath.parse(path);
    if (t != null) {
      assertEquals(path, t.path());
    }
  }

  private static Sha256Hash hash(FuzzedDataProvider in) throws MalformedInputException {
    return Sha256Hash.of(Arrays.copyOf(in.consumeBytes(32), 32));
  }

  private static List<Sha256Hash> proof(FuzzedDataProvider in) throws MalformedInputException {
    int n = in.consumeInt(0, 70);
    List<Sha256Hash> p = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      p.add(hash(in));
    }
    return p;
  }

  @FuzzTest
  void merkleInclusion(FuzzedDataProvider in) throws MalformedInputException {
    long index = in.consumeLong();
    long size = in.consumeLong();
    Sha256Hash leaf = hash(in);
    List<Sha256Hash> proof = proof(in);
    Sha256Hash root;
    try {
      root = MerkleProofs.rootFromInclusion(leaf, index, size, proof);
    } catch (TransparencyException expected) {
      return;
    }
    try {
      MerkleProofs.verifyInclusion(leaf, index, size, proof, root);
    } catch (TransparencyException e) {
      throw new AssertionError("the root computed from a proof does not verify", e);
    }
  }

  @FuzzTest
  void merkleConsistency(FuzzedDataProvider in) throws MalformedInputException {
    long size1 = in.consumeLong();
    long size2 = in.consumeLong();
    Sha256Hash root1 = hash(in);
    Sha256Hash root2 = hash(in);
    try {
      MerkleProofs.verifyConsistency(size1, size2, proof(in), root1, root2);
    } catch (TransparencyException expected) {
      // rejected proof
    }
  }
}
