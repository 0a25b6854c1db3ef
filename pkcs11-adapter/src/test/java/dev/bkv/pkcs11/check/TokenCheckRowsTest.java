package dev.bkv.pkcs11.check;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** Rows of `token check` that follow from other rows. */
class TokenCheckRowsTest {
  private static final Finding NO_ED25519 = Finding.fallback(Capability.EDDSA,
      "CKR_MECHANISM_INVALID [mechanism CKM_EC_EDWARDS_KEY_PAIR_GEN]", "ECDSA P-256 note signatures");

  @Test
  void ed25519FallsBackToEcdsaOnlyWhereEcdsaWorks() {
    Finding ok = TokenCheck.eddsaRow(NO_ED25519, Finding.ok(Capability.ECDSA, "CKM_ECDSA"));
    assertSame(NO_ED25519, ok);
    Finding none = TokenCheck.eddsaRow(NO_ED25519, Finding.skipped(Capability.ECDSA, "not tried"));
    assertEquals(Status.MISSING, none.status());
    assertEquals("CKR_MECHANISM_INVALID [mechanism CKM_EC_EDWARDS_KEY_PAIR_GEN] (and no ECDSA P-256 "
        + "to fall back to)", none.detail());
    assertEquals("", none.fallback());
    Finding ed = Finding.ok(Capability.EDDSA, "CKM_EDDSA");
    assertSame(ed, TokenCheck.eddsaRow(ed, Finding.missing(Capability.ECDSA, "x")));
  }

  @Test
  void noteSignatureFollowsTheSignatureRows() {
    assertEquals(Status.OK, TokenCheck.noteSignature(Finding.ok(Capability.EDDSA, ""),
        Finding.missing(Capability.ECDSA, "")).status());
    assertEquals(Status.FALLBACK, TokenCheck.noteSignature(NO_ED25519,
        Finding.ok(Capability.ECDSA, "")).status());
    assertEquals("neither Ed25519 nor ECDSA P-256 signs", TokenCheck.noteSignature(NO_ED25519,
        Finding.missing(Capability.ECDSA, "")).detail());
  }

  @Test
  void theEcdhRowForEachRoute() {
    Finding direct = ApiProbes.ecdhFinding(dev.bkv.pkcs11.EcdhRoute.DIRECT, true);
    assertEquals(Status.OK, direct.status());
    Finding out = ApiProbes.ecdhFinding(dev.bkv.pkcs11.EcdhRoute.WRAP_OUT, true);
    assertEquals(Status.FALLBACK, out.status());
    assertEquals("wrap-out: CKM_AES_KEY_WRAP under a host session key", out.fallback());
    Finding wrong = ApiProbes.ecdhFinding(dev.bkv.pkcs11.EcdhRoute.WRAP_OUT, false);
    assertEquals(Status.MISSING, wrong.status());
    assertEquals("the token's x-coordinate (wrap-out: CKM_AES_KEY_WRAP under a host session key) "
        + "differs from the software ECDH", wrong.detail());
  }
}
