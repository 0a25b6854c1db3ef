package dev.bkv.ceremony;

import static org.junit.jupiter.api.Assertions.*;

import dev.bkv.evidence.FleetKey;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.testing.SoftHsmTokens;
import org.junit.jupiter.api.Test;

class MemberKeysTest {
  @Test
  void aLabelThatIsNoMemberIdIsRefusedNotRewritten() throws Exception {
    try (Pkcs11Token t = Pkcs11Token.open(SoftHsmTokens.create("NSS Cert DB"))) {
      CeremonyException e = assertThrows(CeremonyException.class, () -> MemberKeys.ensureMember(t, null));
      assertTrue(e.getMessage().startsWith("token label 'NSS Cert DB-"), e.getMessage());
      assertTrue(e.getMessage().contains("give the member id explicitly (--member-id)"), e.getMessage());
      assertFalse(t.keys().exists(FleetKey.MEMBER_IDENTITY), "nothing was generated");
      assertEquals("m-1", MemberKeys.ensureMember(t, "m-1").memberId());
    }
  }

  @Test
  void aUsableLabelIsTheDefaultId() throws Exception {
    try (Pkcs11Token t = Pkcs11Token.open(SoftHsmTokens.create("mk"))) {
      assertEquals(t.info().label(), MemberKeys.ensureMember(t, null).memberId());
    }
  }
}
