package dev.bkv.pkcs11;

import static org.junit.jupiter.api.Assertions.*;

import dev.bkv.pkcs11.check.Capability;
import dev.bkv.pkcs11.check.CheckReport;
import dev.bkv.pkcs11.check.Finding;
import dev.bkv.pkcs11.check.Role;
import dev.bkv.pkcs11.check.Status;
import dev.bkv.pkcs11.testing.NssTokens;
import dev.bkv.pkcs11.testing.SoftHsmTokens;
import org.junit.jupiter.api.Test;

/** `token check` on the two implementations CI has: both must host every role. */
class TokenCheckTest {
  @Test
  void softHsm2HostsEveryRole() throws Exception {
    try (Pkcs11Token t = Pkcs11Token.open(SoftHsmTokens.create("check"))) {
      CheckReport r = t.check();
      System.out.println(r.table());
      for (Role role : Role.values()) {
        assertTrue(r.canHost(role), role + ": " + r.refusal(role).orElse(""));
      }
      assertEquals(Status.OK, r.finding(Capability.EDDSA).status());
      assertEquals(Status.OK, r.finding(Capability.TRUSTED_WRAP).status());
      assertEquals(Status.OK, r.finding(Capability.EC_UNWRAP).status());
      assertEquals(Status.OK, r.finding(Capability.UNEXTRACTABLE).status());
      assertTrue(r.finding(Capability.KWP).detail().contains("RFC 5649 under CKM_AES_KEY_WRAP_PAD"),
          r.finding(Capability.KWP).detail());
      assertEquals("OAEP with SHA-1; the ceremony uses SHA-256 where both tokens take it, else SHA-1",
          r.finding(Capability.RSA_OAEP).detail());
      assertTrue(t.inventory().stream().noneMatch(o -> o.label().startsWith("bkv-check/")),
          "the check leaves nothing on the token");
    }
  }

  @Test
  void nssSoftokenHostsEveryRoleWithFallbacks() throws Exception {
    try (Pkcs11Token t = Pkcs11Token.open(NssTokens.shared())) {
      CheckReport r = t.check();
      System.out.println(r.table());
      for (Role role : Role.values()) {
        assertTrue(r.canHost(role), role + ": " + r.refusal(role).orElse(""));
      }
      // softokn unwraps an EC private key only with its public point in CKA_NSS_DB
      Finding unwrap = r.finding(Capability.EC_UNWRAP);
      assertEquals(Status.FALLBACK, unwrap.status());
      assertTrue(unwrap.detail().contains("CKA_NSS_DB"), unwrap.detail());
      assertTrue(unwrap.detail().contains("CKR_TEMPLATE_INCOMPLETE"), unwrap.detail());
      Finding unextractable = r.finding(Capability.UNEXTRACTABLE);
      assertEquals(Status.FALLBACK, unextractable.status());
      assertTrue(unextractable.detail().contains("does not enforce"), unextractable.detail());
      assertEquals(Status.FALLBACK, r.finding(Capability.EDDSA).status());
      assertEquals(Status.FALLBACK, r.finding(Capability.NOTE_SIGNATURE).status());
      assertTrue(r.finding(Capability.KWP).detail().contains("PKCS#7 pad + RFC 3394"),
          r.finding(Capability.KWP).detail());
      assertTrue(t.inventory().stream().noneMatch(o -> o.label().startsWith("bkv-check/")),
          "the check leaves nothing on the token");
    }
  }

  @Test
  void aRoleThatCannotBeHostedNamesTheMissingPiece() {
    CheckReport r = new CheckReport("token 'x' on /lib/x.so", java.util.List.of(
        new dev.bkv.pkcs11.check.Finding(Capability.ECDH_X, Status.MISSING,
            "CKR_MECHANISM_INVALID [mechanism CKM_ECDH1_DERIVE]", "")));
    assertFalse(r.canHost(Role.MEMBER));
    assertTrue(r.canHost(Role.OPERATOR));
    assertEquals("token 'x' on /lib/x.so cannot host a member: missing ECDH x-only "
        + "(CKR_MECHANISM_INVALID [mechanism CKM_ECDH1_DERIVE])", r.refusal(Role.MEMBER).orElseThrow());
  }
}
