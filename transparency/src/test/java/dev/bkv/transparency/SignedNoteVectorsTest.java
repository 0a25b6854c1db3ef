package dev.bkv.transparency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Notes and keys made by Go's sumdb/note, transparency-dev and the C2SP spec (see PROVENANCE). */
class SignedNoteVectorsTest {

  static final JsonNode VECTORS = load();

  record Case(String desc, JsonNode json) {
    @Override
    public String toString() {
      return desc;
    }
  }

  static Stream<Case> notes() {
    List<Case> out = new ArrayList<>();
    VECTORS.get("notes").forEach(n -> out.add(new Case(n.get("desc").asText(), n)));
    return out.stream();
  }

  static Stream<Case> badKeys() {
    List<Case> out = new ArrayList<>();
    VECTORS.get("badKeys").forEach(n -> out.add(new Case(n.get("desc").asText(), n)));
    return out.stream();
  }

  static Stream<Case> keys() {
    List<Case> out = new ArrayList<>();
    VECTORS.get("keys").forEach(n -> out.add(new Case(n.get("id").asText(), n)));
    return out.stream();
  }

  @Test
  void allVectorsAreRun() {
    assertEquals(21, notes().count());
    assertEquals(7, badKeys().count());
    assertEquals(8, keys().count());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keys")
  void verifierKeyParsesAndReencodesExactly(Case c) throws Exception {
    String vkey = c.json().get("vkey").asText();
    VerifierKey key = VerifierKey.parse(vkey);
    assertEquals(vkey, key.encode());
    assertEquals(vkey.substring(0, vkey.indexOf('+')), key.name());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badKeys")
  void badVerifierKeyIsRejected(Case c) {
    MalformedInputException e = assertThrows(MalformedInputException.class,
        () -> VerifierKey.parse(c.json().get("vkey").asText()));
    assertEquals(MalformedInputException.Problem.BAD_KEY, e.problem(), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notes")
  void noteOpensExactlyAsUpstreamExpects(Case c) throws Exception {
    JsonNode j = c.json();
    byte[] bytes = j.get("note").asText().getBytes(StandardCharsets.UTF_8);
    List<NoteVerifier> trusted = new ArrayList<>();
    for (JsonNode id : j.get("trusted")) {
      trusted.add(key(id.asText()).verifier());
    }
    String want = j.get("want").asText();
    if (j.has("text")) {
      Note parsed = Note.parse(bytes, NoteLimits.DEFAULT);
      assertEquals(j.get("text").asText(), parsed.text());
      assertArrayEquals(bytes, parsed.toBytes());
    }
    if (want.equals("verify")) {
      VerifiedNote n = SignedNotes.open(bytes, trusted);
      assertEquals(names(j.get("verified")), n.verified().stream().map(NoteSignature::name).toList());
      assertEquals(names(j.get("unverified")),
          n.unverified().stream().map(NoteSignature::name).toList());
      assertArrayEquals(bytes, Note.parse(bytes, NoteLimits.DEFAULT).toBytes());
      if (j.has("checkpoint")) {
        JsonNode cp = j.get("checkpoint");
        Checkpoint opened = Checkpoint.open(bytes, cp.get("origin").asText(), trusted);
        assertEquals(cp.get("size").asLong(), opened.size());
        assertEquals(cp.get("root").asText(), opened.root().toBase64());
        VerificationFailedException e = assertThrows(VerificationFailedException.class,
            () -> Checkpoint.open(bytes, "Go rocks but I might have the wrong ID", trusted));
        assertEquals(VerificationFailedException.Reason.ORIGIN_MISMATCH, e.reason());
      }
    } else {
      TransparencyException e = assertThrows(TransparencyException.class,
          () -> SignedNotes.open(bytes, trusted));
      String got = e instanceof MalformedInputException b ? b.problem().name()
          : e instanceof VerificationFailedException v ? v.reason().name() : e.toString();
      assertEquals(want, got, e.getMessage());
    }
  }

  /** bkv's Ed25519 signer reproduces Go's note.Sign output byte for byte. */
  @Test
  void signingWithGoSignerKeyReproducesGoOutput() throws Exception {
    JsonNode peter = keyJson("peter");
    Ed25519NoteSigner signer = Ed25519NoteSigner.fromSignerKey(peter.get("skey").asText());
    assertEquals(0xc74f20a3, signer.keyId());
    assertEquals(peter.get("vkey").asText(), signer.verifierKey().encode());
    assertEquals(peter.get("skey").asText(), new String(signer.toSignerKey()));
    String goNote = VECTORS.get("notes").get(0).get("note").asText();
    String text = goNote.substring(0, goNote.indexOf("\n\n") + 1);
    Note note = SignedNotes.sign(text, List.of(signer));
    assertEquals(goNote, new String(note.toBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void goSignerKeyWithWrongKeyIdIsRejected() {
    String skey = keyJson("peter").get("skey").asText().replace("c74f20a3", "c74f20a4");
    MalformedInputException e = assertThrows(MalformedInputException.class,
        () -> Ed25519NoteSigner.fromSignerKey(skey));
    assertEquals(MalformedInputException.Problem.BAD_KEY, e.problem());
  }

  static VerifierKey key(String id) throws MalformedInputException {
    return VerifierKey.parse(keyJson(id).get("vkey").asText());
  }

  static JsonNode keyJson(String id) {
    Map<String, JsonNode> byId = new HashMap<>();
    VECTORS.get("keys").forEach(k -> byId.put(k.get("id").asText(), k));
    return byId.get(id);
  }

  private static List<String> names(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static JsonNode load() {
    try (InputStream in = SignedNoteVectorsTest.class.getResourceAsStream(
        "/vectors/signed-note/vectors.json")) {
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
