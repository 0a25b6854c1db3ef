package dev.bkv.pkcs11;

import static org.junit.jupiter.api.Assertions.*;

import dev.bkv.pkcs11.check.Capability;
import dev.bkv.pkcs11.check.CheckReport;
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
      assertTrue(r.finding(Capability.KWP).detail().contains("RFC 5649 under CKM_AES_KEY_WRAP_PAD"),
          r.finding(Capability.KWP).detail());
      assertEquals("OAEP with SHA-1; bkv uses SHA-1/MGF1-SHA1", r.finding(Capability.RSA_OAEP).detail());
      assertTrue(t.inventory().stream().noneMatch(o -> o.label().startsWith("bkv-check/")),
          "the check leaves nothing on the token");
    }
  }

  @Test
  void nssSoftokenHostsEveryRoleButMemberWithFallbacks() throws Exception {
    try (Pkcs11Token t = Pkcs11Token.open(NssTokens.shared())) {
      CheckReport r = t.check();
      System.out.println(r.table());
      for (Role role : new Role[] {Role.GENESIS, Role.OPERATOR, Role.COSIGNER}) {
        assertTrue(r.canHost(role), role + ": " + r.refusal(role).orElse(""));
      }
      // softokn 3.87 refuses C_UnwrapKey of any EC private key (even its own PKCS#8, with or
      // without CKA_NSS_DB): a member cannot receive the fleet's EC keys
      assertEquals(Status.MISSING, r.finding(Capability.EC_UNWRAP).status());
      assertTrue(r.refusal(Role.MEMBER).orElseThrow().contains("missing EC key unwrap (CKR_TEMPLATE_INCOMPLETE"),
          r.refusal(Role.MEMBER).orElseThrow());
      assertEquals(Status.FALLBACK, r.finding(Capability.EDDSA).status());
      assertEquals(Status.FALLBACK, r.finding(Capability.NOTE_SIGNATURE).status());
      assertTrue(r.finding(Capability.KWP).detail().contains("PKCS#7 pad + RFC 3394"),
          r.finding(Capability.KWP).detail());
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
