package dev.bkv.ceremony;

import static org.junit.jupiter.api.Assertions.*;

import dev.bkv.evidence.TranscriptEntry;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.check.Capability;
import dev.bkv.pkcs11.check.CheckReport;
import dev.bkv.pkcs11.check.Finding;
import dev.bkv.pkcs11.check.Role;
import dev.bkv.pkcs11.check.Status;
import dev.bkv.pkcs11.testing.SoftHsmTokens;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each fallback a ceremony step relies on is a transcript line, so the evidence carries it. */
class FallbacksTest {
  private static final CheckReport NSS_LIKE = new CheckReport("token 'n' on softokn", List.of(
      new Finding(Capability.EDDSA, Status.FALLBACK, "CKR_MECHANISM_INVALID", "ECDSA P-256 note signatures"),
      new Finding(Capability.KWP, Status.FALLBACK, "CKM_AES_KEY_WRAP_PAD: PKCS#7 pad + RFC 3394",
          "CKM_AES_KEY_WRAP_PAD as this token means it"),
      new Finding(Capability.TRUSTED_WRAP, Status.FALLBACK, "ignored", "transcript"),
      new Finding(Capability.LOCAL, Status.FALLBACK, "generated keys report CKA_LOCAL=false", "shown as read"),
      new Finding(Capability.ECDH_X, Status.OK, "matches software", "")));

  @Test
  void theGenesisRecordsTheFallbacksItsRoleUses() {
    List<String> lines = Fallbacks.lines(NSS_LIKE, Role.GENESIS);
    assertEquals(List.of(
        "genesis AES key wrap with padding: CKM_AES_KEY_WRAP_PAD: PKCS#7 pad + RFC 3394; bkv uses "
            + "CKM_AES_KEY_WRAP_PAD as this token means it",
        "genesis trusted wrap: ignored; bkv uses transcript",
        "genesis CKA_LOCAL: generated keys report CKA_LOCAL=false; bkv uses shown as read"), lines);
  }

  @Test
  void aMemberDoesNotRecordTheGenesisOnlyOnes() {
    List<String> lines = Fallbacks.lines(NSS_LIKE, Role.MEMBER);
    assertEquals(2, lines.size(), lines.toString());
    assertTrue(lines.stream().noneMatch(l -> l.contains("trusted wrap")));
  }

  @Test
  void softHsm2NeedsNoFallbackAndPassesThePreflight() throws Exception {
    try (Pkcs11Token t = Pkcs11Token.open(SoftHsmTokens.create("fb"))) {
      Transcript transcript = new Transcript(s -> { });
      Fallbacks.require(t, Role.GENESIS, transcript);
      assertEquals(List.<TranscriptEntry>of(), transcript.entries());
    }
  }
}
