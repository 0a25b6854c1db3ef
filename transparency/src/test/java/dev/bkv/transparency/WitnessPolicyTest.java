package dev.bkv.transparency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WitnessPolicyTest {

  private static final String BODY = "log.bkv.test\n7\n"
      + "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

  private static Ed25519Cosigner witness(int n, long time) throws Exception {
    byte[] seed = new byte[32];
    seed[0] = (byte) n;
    return Ed25519Cosigner.fromSeed("w" + n + ".bkv.test", seed,
        Clock.fixed(Instant.ofEpochSecond(time), ZoneOffset.UTC));
  }

  private static Note logNote() throws Exception {
    return SignedNotes.sign(BODY, List.of(Ed25519NoteSigner.fromSeed("log.bkv.test",
        new byte[32])));
  }

  private static WitnessPolicy twoOfThree() throws Exception {
    return WitnessPolicy.of(List.of(witness(1, 0).verifierKey(), witness(2, 0).verifierKey(),
        witness(3, 0).verifierKey()), 2);
  }

  @Test
  void tooFewCosignaturesAreRefusedWithACount() throws Exception {
    byte[] one = SignedNotes.addSignatures(logNote(), List.of(witness(1, 100))).toBytes();
    VerificationFailedException e = assertThrows(VerificationFailedException.class,
        () -> twoOfThree().require(one));
    assertEquals(VerificationFailedException.Reason.NOT_ENOUGH_COSIGNATURES, e.reason());
    String label = witness(1, 0).verifierKey().name() + "+"
        + dev.bkv.transparency.internal.NoteSyntax.keyIdHex(witness(1, 0).keyId());
    assertTrue(e.getMessage().contains("1 valid cosignature from 3 witnesses given (" + label
        + "); 2 required"), e.getMessage());

    byte[] none = logNote().toBytes();
    assertEquals(0, twoOfThree().count(none).valid().size());
    assertTrue(WitnessPolicy.NONE.count(none).satisfied());
  }

  @Test
  void enoughCosignaturesPass() throws Exception {
    byte[] two = SignedNotes.addSignatures(logNote(), List.of(witness(1, 100), witness(3, 200)))
        .toBytes();
    assertEquals(2, twoOfThree().require(two).valid().size());
  }

  @Test
  void duplicateCosignaturesFromOneKeyCountOnce() throws Exception {
    Note note = SignedNotes.addSignatures(logNote(), List.of(witness(1, 100)));
    Note other = SignedNotes.addSignatures(logNote(), List.of(witness(1, 200)));
    List<NoteSignature> sigs = new ArrayList<>(note.signatures());
    sigs.add(note.signatures().get(1));
    sigs.add(other.signatures().get(1));
    byte[] dup = new Note(note.text(), sigs).toBytes();
    assertEquals(4, Note.parse(dup, NoteLimits.DEFAULT).signatures().size());
    WitnessPolicy.Count c = twoOfThree().count(dup);
    assertEquals(1, c.valid().size());
    assertFalse(c.satisfied());
    assertThrows(VerificationFailedException.class, () -> twoOfThree().require(dup));
  }

  @Test
  void aBadCosignatureDoesNotCountAndIsNamed() throws Exception {
    Note two = SignedNotes.addSignatures(logNote(), List.of(witness(1, 100), witness(2, 100)));
    NoteSignature good = two.signatures().get(2);
    byte[] bad = good.signature();
    bad[20] ^= 1;
    byte[] tampered = new Note(two.text(), List.of(two.signatures().get(0),
        two.signatures().get(1), new NoteSignature(good.name(), good.keyId(), bad))).toBytes();
    VerificationFailedException e = assertThrows(VerificationFailedException.class,
        () -> twoOfThree().require(tampered));
    assertTrue(e.getMessage().contains("do not verify, not counted: w2.bkv.test+"),
        e.getMessage());
    // a cosignature over another checkpoint body does not count either
    Note elsewhere = SignedNotes.addSignatures(SignedNotes.sign(BODY.replace("\n7\n", "\n8\n"),
        List.of(Ed25519NoteSigner.fromSeed("log.bkv.test", new byte[32]))),
        List.of(witness(2, 1)));
    byte[] moved = new Note(two.text(), List.of(two.signatures().get(0), two.signatures().get(1),
        elsewhere.signatures().get(1))).toBytes();
    assertEquals(1, twoOfThree().count(moved).valid().size());
  }

  @Test
  void badPoliciesAreRefused() throws Exception {
    VerifierKey w1 = witness(1, 0).verifierKey();
    assertThrows(MalformedInputException.class, () -> WitnessPolicy.of(List.of(w1), 2));
    assertThrows(MalformedInputException.class, () -> WitnessPolicy.of(List.of(w1), -1));
    MalformedInputException twice = assertThrows(MalformedInputException.class,
        () -> WitnessPolicy.of(List.of(w1, w1), 1));
    assertTrue(twice.getMessage().contains("given twice"), twice.getMessage());
    assertThrows(MalformedInputException.class, () -> WitnessPolicy.of(List.of(
        Ed25519NoteSigner.fromSeed("log.bkv.test", new byte[32]).verifierKey()), 0));
    assertEquals(BODY.length(), BODY.getBytes(StandardCharsets.UTF_8).length);
  }
}
