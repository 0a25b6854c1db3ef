package dev.bkv.pkcs11;

import static org.junit.jupiter.api.Assertions.*;

import dev.bkv.pkcs11.testing.SoftHsmTokens;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The OAEP hash of the transport key: chosen per pair of tokens, SHA-256 where both take it. */
class OaepHashTest {
  @Test
  void sha256WhereBothTakeItElseSha1ElseNothing() {
    Set<OaepHash> both = EnumSet.allOf(OaepHash.class);
    Set<OaepHash> sha1 = EnumSet.of(OaepHash.SHA1);
    Set<OaepHash> sha256 = EnumSet.of(OaepHash.SHA256);
    assertEquals(Optional.of(OaepHash.SHA256), OaepHash.choose(both, both));
    assertEquals(Optional.of(OaepHash.SHA1), OaepHash.choose(both, sha1));
    assertEquals(Optional.of(OaepHash.SHA1), OaepHash.choose(sha1, both));
    assertEquals(Optional.empty(), OaepHash.choose(sha1, sha256));
    assertEquals(Optional.of(OaepHash.SHA256), OaepHash.ofTitle("SHA-256"));
    assertEquals(Optional.empty(), OaepHash.ofTitle("SHA-512"));
  }

  @Test
  void softHsm2RefusesSha256AndTheErrorNamesTheHash() throws Exception {
    try (Pkcs11Token t = Pkcs11Token.open(SoftHsmTokens.create("oaep"))) {
      RsaPrivateKey transport = t.keys().generateRsa(KeySpec.of("oaep/transport", KeyUsage.UNWRAP), 2048);
      PublicValue.Rsa value = transport.publicKey();
      PublicKeyObject pub = t.asSecurityOfficer(so ->
          so.importTrustedPublicKey("oaep/transport-pub", new byte[] {1}, value));
      AesKey k = t.keys().generateAes256(KeySpec.of("oaep/k", KeyUsage.ENCRYPT).asCeremony());
      // SoftHSM2 2.6.1 takes OAEP with SHA-1 only, and the probe on the key finds just that
      int objects = t.inventory().size();
      assertEquals(java.util.List.of(OaepHash.SHA1), transport.oaepHashes());
      assertEquals(objects, t.inventory().size(), "the probe leaves nothing behind");
      HsmException e = assertThrows(HsmException.class, () -> pub.wrap(k, OaepHash.SHA256));
      assertEquals(Ckr.of(org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_ARGUMENTS_BAD),
          e.ckr().orElseThrow(), e.getMessage());
      assertTrue(e.getMessage().contains("(OAEP SHA-256)"), e.getMessage());
      // SHA-1 works on the same pair
      byte[] wrapped = pub.wrap(k, OaepHash.SHA1);
      AesKey back = transport.unwrapAes(wrapped, KeySpec.of("oaep/k-back", KeyUsage.ENCRYPT,
          KeyUsage.DECRYPT).sessionOnly(), OaepHash.SHA1);
      assertNotNull(back);
    }
  }
}
