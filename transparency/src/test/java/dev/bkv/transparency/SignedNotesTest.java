package dev.bkv.transparency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** bkv-made notes round-trip through the same rules; every malformation has a named reason. */
class SignedNotesTest {

  static final String TEXT = "bkv.dev/validation-bundle/v1\nepoch 7\n";
  final SecureRandom random = new SecureRandom(new byte[] {1, 2, 3});

  @Test
  void ed25519AndEcdsaNotesRoundTripThroughVerifierKeyStrings() throws Exception {
    Ed25519NoteSigner ed = Ed25519NoteSigner.generate("cosigner.example/log", random);
    EcdsaNoteSigner ec = EcdsaNoteSigner.generate("operator.example/hsm", random);
    byte[] bytes = SignedNotes.sign(TEXT, List.of(ed, ec)).toBytes();
    NoteVerifier edV = VerifierKey.parse(ed.verifierKey().encode()).verifier();
    NoteVerifier ecV = VerifierKey.parse(ec.verifierKey().encode()).verifier();

    VerifiedNote both = SignedNotes.open(bytes, List.of(edV, ecV));
    assertEquals(TEXT, both.text());
    assertEquals(2, both.verified().size());
    assertTrue(both.isSignedBy(ec.name(), ec.keyId()));

    VerifiedNote onlyEc = SignedNotes.open(bytes, List.of(ecV));
    assertEquals(List.of(ec.name()), onlyEc.verified().stream().map(NoteSignature::name).toList());
    assertEquals(List.of(ed.name()),
        onlyEc.unverified().stream().map(NoteSignature::name).toList());
  }

  @Test
  void keyIdsFollowTheSpec() throws Exception {
    Ed25519NoteSigner ed = Ed25519NoteSigner.generate("a.example/k", random);
    byte[] pub = ed.verifierKey().publicKey();
    java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
    md.update("a.example/k\n".getBytes(StandardCharsets.UTF_8));
    md.update((byte) 1);
    byte[] h = md.digest(pub);
    assertEquals(java.nio.ByteBuffer.wrap(h).getInt(), ed.keyId());

    EcdsaNoteSigner ec = EcdsaNoteSigner.generate("b.example/k", random);
    byte[] spki = ec.verifierKey().publicKey();
    assertEquals(91, spki.length);
    byte[] h2 = java.security.MessageDigest.getInstance("SHA-256").digest(spki);
    assertEquals(java.nio.ByteBuffer.wrap(h2).getInt(), ec.keyId());
    assertTrue(ec.verifierKey().encode().startsWith("b.example/k+"));
    assertEquals(2, Base64.getDecoder().decode(ec.verifierKey().encode().split("\\+", 3)[2])[0]);
  }

  @Test
  void alteredTextFailsWithInvalidSignature() throws Exception {
    Ed25519NoteSigner ed = Ed25519NoteSigner.generate("c.example", random);
    String note = new String(SignedNotes.sign(TEXT, List.of(ed)).toBytes(), StandardCharsets.UTF_8);
    byte[] altered = note.replace("epoch 7", "epoch 8").getBytes(StandardCharsets.UTF_8);
    assertReason(VerificationFailedException.Reason.INVALID_SIGNATURE,
        () -> SignedNotes.open(altered, List.of(ed.verifierKey().verifier())));
  }

  @Test
  void sameNameDifferentKeyIsIgnoredNotTrusted() throws Exception {
    Ed25519NoteSigner real = Ed25519NoteSigner.generate("cosigner.example", random);
    Ed25519NoteSigner impostor = Ed25519NoteSigner.generate("cosigner.example", random);
    byte[] bytes = SignedNotes.sign(TEXT, List.of(impostor)).toBytes();
    assertReason(VerificationFailedException.Reason.NO_TRUSTED_SIGNATURE,
        () -> SignedNotes.open(bytes, List.of(real.verifierKey().verifier())));
  }

  @Test
  void signatureUnderAnotherNameWithSameKeyIdIsRejected() throws Exception {
    Ed25519NoteSigner real = Ed25519NoteSigner.generate("cosigner.example", random);
    Ed25519NoteSigner other = Ed25519NoteSigner.generate("other.example", random);
    String note = new String(SignedNotes.sign(TEXT, List.of(other)).toBytes(),
        StandardCharsets.UTF_8);
    // Forge the line's key ID to the trusted key's: the name+ID match, the signature must fail.
    NoteSignature sig = Note.parse(note.getBytes(StandardCharsets.UTF_8), NoteLimits.DEFAULT)
        .signatures().get(0);
    Note forged = new Note(TEXT, List.of(
        new NoteSignature(real.name(), real.keyId(), sig.signature())));
    assertReason(VerificationFailedException.Reason.INVALID_SIGNATURE,
        () -> SignedNotes.open(forged.toBytes(), List.of(real.verifierKey().verifier())));
  }

  @Test
  void trailingOrMissingNewlineIsMalformed() throws Exception {
    Ed25519NoteSigner ed = Ed25519NoteSigner.generate("d.example", random);
    String note = new String(SignedNotes.sign(TEXT, List.of(ed)).toBytes(), StandardCharsets.UTF_8);
    List<NoteVerifier> trusted = List.of(ed.verifierKey().verifier());
    for (String bad : List.of(note + "\n", note.substring(0, note.length() - 1), "\n" + note
        .replaceFirst("\n\n", "\n"), note.replace("\n\n", "\n"), note.replace("\u2014", "--"),
        note.replace("\n\u2014", "\n\u2014 "), note + "\u2014 d.example\n")) {
      MalformedInputException e = assertThrows(MalformedInputException.class,
          () -> SignedNotes.open(bad.getBytes(StandardCharsets.UTF_8), trusted), bad);
      assertEquals(MalformedInputException.Problem.MALFORMED_NOTE, e.problem(), e.getMessage());
    }
    byte[] notUtf8 = note.getBytes(StandardCharsets.UTF_8);
    notUtf8[0] = (byte) 0xff;
    assertProblem(MalformedInputException.Problem.MALFORMED_NOTE,
        () -> SignedNotes.open(notUtf8, trusted));
  }

  @Test
  void sixteenSignaturesAreAcceptedAndLimitsApply() throws Exception {
    List<Ed25519NoteSigner> signers = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      signers.add(Ed25519NoteSigner.generate("witness" + i + ".example", random));
    }
    byte[] bytes = SignedNotes.sign(TEXT, signers).toBytes();
    VerifiedNote n = SignedNotes.open(bytes, List.of(signers.get(15).verifierKey().verifier()));
    assertEquals(15, n.unverified().size());
    assertProblem(MalformedInputException.Problem.NOTE_TOO_LARGE, () -> SignedNotes.open(bytes,
        List.of(signers.get(0).verifierKey().verifier()), new NoteLimits(bytes.length - 1, 16)));
    byte[] seventeen = SignedNotes.addSignatures(Note.parse(bytes, NoteLimits.DEFAULT),
        List.of(Ed25519NoteSigner.generate("one.more", random))).toBytes();
    assertProblem(MalformedInputException.Problem.TOO_MANY_SIGNATURES, () -> SignedNotes.open(
        seventeen, List.of(signers.get(0).verifierKey().verifier()), new NoteLimits(1 << 20, 16)));
  }

  @Test
  void addSignaturesReplacesTheSameKeysSignature() throws Exception {
    EcdsaNoteSigner ec = EcdsaNoteSigner.generate("e.example", random);
    Ed25519NoteSigner ed = Ed25519NoteSigner.generate("f.example", random);
    Note once = SignedNotes.sign(TEXT, List.of(ec, ed));
    Note again = SignedNotes.addSignatures(once, List.of(ed));
    assertEquals(2, again.signatures().size());
    assertEquals(ed.name(), again.signatures().get(1).name());
  }

  @Test
  void ambiguousTrustedKeysAndBadNamesAreRejected() throws Exception {
    Ed25519NoteSigner ed = Ed25519NoteSigner.generate("g.example", random);
    byte[] bytes = SignedNotes.sign(TEXT, List.of(ed)).toBytes();
    NoteVerifier v = ed.verifierKey().verifier();
    assertProblem(MalformedInputException.Problem.BAD_KEY, () -> SignedNotes.open(bytes, List.of(v, v)));
    for (String name : List.of("", "a b", "a+b", "a\u00a0b", "a\u2028b")) {
      assertProblem(MalformedInputException.Problem.BAD_KEY_NAME,
          () -> Ed25519NoteSigner.generate(name, random));
    }
    assertProblem(MalformedInputException.Problem.MALFORMED_NOTE,
        () -> SignedNotes.sign("no final newline", List.of(ed)));
    assertProblem(MalformedInputException.Problem.MALFORMED_NOTE,
        () -> SignedNotes.sign("tab\there\n", List.of(ed)));
  }

  @Test
  void ecdsaRawSignatureConvertsToVerifiableDer() throws Exception {
    EcdsaNoteSigner ec = EcdsaNoteSigner.generate("h.example", random);
    byte[] der = ec.sign(TEXT.getBytes(StandardCharsets.UTF_8));
    java.math.BigInteger[] rs = org.bouncycastle.crypto.signers.StandardDSAEncoding.INSTANCE
        .decode(dev.bkv.crypto.EcdsaP256.DOMAIN.getN(), der);
    byte[] raw = new byte[64];
    byte[] r = org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, rs[0]);
    byte[] s = org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, rs[1]);
    System.arraycopy(r, 0, raw, 0, 32);
    System.arraycopy(s, 0, raw, 32, 32);
    assertArrayEquals(der, EcdsaNoteSigner.derSignature(raw));
    NoteVerifier v = ec.verifierKey().verifier();
    assertTrue(v.verify(TEXT.getBytes(StandardCharsets.UTF_8), der));
    assertFalse(v.verify(TEXT.getBytes(StandardCharsets.UTF_8), raw));
  }

  @Test
  void secretsDoNotLeakThroughToString() throws Exception {
    Ed25519NoteSigner ed = Ed25519NoteSigner.generate("i.example", random);
    String secret = new String(ed.toSignerKey());
    String b64 = secret.split("\\+", 5)[4]; // PRIVATE+KEY+name+hash+base64; base64 may hold "+"
    assertFalse(ed.toString().contains(b64));
    assertEquals("Ed25519NoteSigner[i.example+" + String.format("%08x", ed.keyId()) + "]",
        ed.toString());
  }

  interface Call {
    void run() throws Exception;
  }

  static void assertReason(VerificationFailedException.Reason reason, Call call) {
    VerificationFailedException e = assertThrows(VerificationFailedException.class, call::run);
    assertEquals(reason, e.reason(), e.getMessage());
  }

  static void assertProblem(MalformedInputException.Problem problem, Call call) {
    MalformedInputException e = assertThrows(MalformedInputException.class, call::run);
    assertEquals(problem, e.problem(), e.getMessage());
  }
}
