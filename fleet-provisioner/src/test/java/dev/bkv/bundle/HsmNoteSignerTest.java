package dev.bkv.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.pkcs11.KeySpec;
import dev.bkv.pkcs11.KeyUsage;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.testing.SoftHsmTokens;
import dev.bkv.transparency.Note;
import dev.bkv.transparency.NoteSignature;
import dev.bkv.transparency.SignatureType;
import dev.bkv.transparency.SignedNotes;
import dev.bkv.transparency.VerifiedNote;
import dev.bkv.transparency.VerifierKey;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Note signatures and countersignatures made by keys in a real SoftHSM2 token. */
class HsmNoteSignerTest {

  static Pkcs11Token token;
  static HsmNoteSigner ed25519;
  static HsmNoteSigner ecdsa;

  @BeforeAll
  static void keysOnAToken() throws Exception {
    token = Pkcs11Token.open(SoftHsmTokens.create("hns"));
    ed25519 = HsmNoteSigner.ed25519("cosigner.hsm/log",
        token.keys().generateEd25519(KeySpec.of("cosigner/log", KeyUsage.SIGN)));
    ecdsa = HsmNoteSigner.ecdsa("operator.hsm",
        token.keys().generateEcP256(KeySpec.of("operator/countersign", KeyUsage.SIGN)));
  }

  @AfterAll
  static void close() {
    token.close();
  }

  @Test
  void notesSignedInTheHsmOpenUnderTheirVerifierKeys() throws Exception {
    assertEquals(SignatureType.ED25519, ed25519.verifierKey().type());
    assertEquals(SignatureType.ECDSA, ecdsa.verifierKey().type());
    Note note = SignedNotes.sign("bkv.dev/validation-bundle/v1\nhsm test\n",
        List.of(ed25519, ecdsa));
    for (HsmNoteSigner s : List.of(ed25519, ecdsa)) {
      VerifierKey parsed = VerifierKey.parse(s.verifierKey().encode());
      VerifiedNote v = SignedNotes.open(note.toBytes(), List.of(parsed.verifier()));
      assertTrue(v.isSignedBy(s.name(), s.keyId()), s.toString());
    }
    assertEquals(ed25519.sign(new byte[] {1, 2, 3}).length, 64);
  }

  @Test
  void countersignatureFromTheHsmBindsTheCosignerSignature() throws Exception {
    Note note = SignedNotes.sign("bkv.dev/validation-bundle/v1\nhsm test\n", List.of(ed25519));
    NoteSignature cosig = note.signatures().get(0);
    NoteSignature counter = Countersignature.sign(cosig, ecdsa);
    Countersignature.verify(counter, cosig, ecdsa.verifierKey());
    byte[] other = cosig.signature();
    other[10] ^= 1;
    NoteSignature altered = new NoteSignature(cosig.name(), cosig.keyId(), other);
    BundleRejectedException e = assertThrows(BundleRejectedException.class,
        () -> Countersignature.verify(counter, altered, ecdsa.verifierKey()));
    assertEquals(BundleException.Reason.BAD_COUNTERSIGNATURE, e.reason());
    assertFalse(ecdsa.toString().contains("operator/countersign"), ecdsa.toString());
  }
}
