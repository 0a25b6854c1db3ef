package dev.bkv.pkcs11.check;

import static org.junit.jupiter.api.Assertions.*;

import dev.bkv.pkcs11.GcmIv;
import org.junit.jupiter.api.Test;

/** The AES-GCM row of `token check` for each way a token takes IVs. */
class GcmFindingTest {
  @Test
  void callerIvsAreOk() {
    Finding f = ApiProbes.gcmFinding(GcmIv.CALLER, true, true);
    assertEquals(Status.OK, f.status());
    assertEquals("caller's IV honoured; ciphertext||tag sized for the tag", f.detail());
  }

  @Test
  void tokenIvsAreAFallbackEveryRoleAccepts() {
    Finding f = ApiProbes.gcmFinding(GcmIv.TOKEN_GENERATED, true, true);
    assertEquals(Status.FALLBACK, f.status());
    assertEquals("the token ignores or refuses the caller's IV and returns its own through "
        + "C_EncryptMessage (CKG_GENERATE_RANDOM)", f.detail());
    assertEquals("HSM-generated IVs, each stored with its ciphertext (never a zero IV handed over)",
        f.fallback());
    CheckReport r = new CheckReport("token 'x' on /lib/x.so", java.util.List.of(f));
    assertTrue(r.canHost(Role.MEMBER));
    assertTrue(r.canHost(Role.GENESIS));
  }

  @Test
  void outputThatDoesNotOpenIsMissing() {
    Finding f = ApiProbes.gcmFinding(GcmIv.TOKEN_GENERATED, false, true);
    assertEquals(Status.MISSING, f.status());
    assertTrue(f.detail().startsWith("the output does not open under the IV it was made under"), f.detail());
    Finding same = ApiProbes.gcmFinding(GcmIv.CALLER, true, false);
    assertEquals(Status.MISSING, same.status());
    assertEquals("the token gives the same output under another IV", same.detail());
  }
}
