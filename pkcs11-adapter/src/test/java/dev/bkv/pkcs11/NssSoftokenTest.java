package dev.bkv.pkcs11;

import static org.junit.jupiter.api.Assertions.*;

import dev.bkv.pkcs11.testing.NssTokens;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** NSS softokn loaded directly through {@code pkcs11.init-args}: the second implementation. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NssSoftokenTest {
  static Pkcs11Token token;

  @BeforeAll
  static void load() throws Exception {
    Pkcs11Config config = NssTokens.shared();
    // without its parameters softokn refuses C_Initialize; the error says what to set
    Pkcs11Config bare = new Pkcs11Config(config.module(), config.token(), config.userPin(),
        config.soPin());
    HsmException e = assertThrows(HsmException.class, () -> Pkcs11Token.open(bare));
    assertEquals("CKR_ARGUMENTS_BAD", e.ckr().orElseThrow().name());
    assertTrue(e.getMessage().contains("set pkcs11.init-args"), e.getMessage());
    token = Pkcs11Token.open(config);
  }

  @AfterAll
  static void close() {
    if (token != null) {
      token.close();
    }
  }

  @Test
  @Order(1)
  void theLabelComesFromTheInitArgs() throws Exception {
    assertEquals(NssTokens.LABEL, token.info().label());
    assertEquals("Mozilla Foundation", token.info().manufacturer());
  }

  @Test
  void gcmIvsMadeByTheTokenComeBackThroughTheMessageInterface() throws Exception {
    // what bkv does on a token that ignores or refuses caller IVs (AWS CloudHSM style)
    AesKey k = token.keys().generateAes256(
        KeySpec.of("nss/gcm-token-iv", KeyUsage.ENCRYPT, KeyUsage.DECRYPT).sessionOnly());
    byte[] pt = "thirty-two bytes of backup key..".getBytes();
    byte[] aad = "user=alice".getBytes();
    GcmSealed a = k.sealGcm(pt, aad, GcmIvTest.fixed((byte) 1), GcmIv.TOKEN_GENERATED);
    GcmSealed b = k.sealGcm(pt, aad, GcmIvTest.fixed((byte) 1), GcmIv.TOKEN_GENERATED);
    assertFalse(dev.bkv.pkcs11.internal.Gcm.allZero(a.iv()));
    assertFalse(java.util.Arrays.equals(a.iv(), b.iv()), "each encryption gets a fresh IV");
    byte[] callers = new byte[12];
    java.util.Arrays.fill(callers, (byte) 1);
    assertFalse(java.util.Arrays.equals(callers, a.iv()), "the IV is the token's, not the caller's");
    assertArrayEquals(pt, k.decryptGcm(a.iv(), a.ciphertextAndTag(), aad));
    assertArrayEquals(pt, k.decryptGcm(b.iv(), b.ciphertextAndTag(), aad));
    // softokn honours caller IVs, so that is what bkv uses on it by default
    assertEquals(GcmIv.CALLER, k.gcmIv());
    k.destroy();
  }

  @Test
  void gcmSizesItsOutputForTheTag() throws Exception {
    AesKey k = token.keys().generateAes256(
        KeySpec.of("nss/gcm", KeyUsage.ENCRYPT, KeyUsage.DECRYPT).sessionOnly().asCeremony());
    byte[] iv = token.random(12);
    byte[] pt = "thirty-two bytes of backup key..".getBytes();
    byte[] aad = "user=alice".getBytes();
    // single-part C_Encrypt gives CKR_BUFFER_TOO_SMALL here; C_EncryptMessage returns the tag
    byte[] ct = k.encryptGcm(iv, pt, aad);
    assertEquals(pt.length + 16, ct.length);
    // opened by single-part C_Decrypt, an independent path
    byte[] flipped = ct.clone();
    flipped[0] ^= 1;
    assertThrows(HsmAuthenticationException.class, () -> k.decryptGcm(iv, flipped, aad));
    assertArrayEquals(pt, k.decryptGcm(iv, ct, aad));
    // a second encryption on the same module goes the remembered way
    assertArrayEquals(pt, k.decryptGcm(iv, k.encryptGcm(iv, pt, aad), aad));
  }

  @Test
  void aTokenAfterAFailedInitWithOtherArgsIsAConfigError() {
    Pkcs11Config other = NssTokens.shared().withInitArgs(NssTokens.initArgs(Path.of("/nonexistent")));
    HsmException e = assertThrows(HsmException.class, () -> Pkcs11Token.open(other));
    assertTrue(e.getMessage().contains("already initialized in this process"), e.getMessage());
  }

  @Test
  void anEcKeyUnwrapsWithItsPublicValueAndStaysSensitive() throws Exception {
    AesKey kek = token.keys().generateAes256(
        KeySpec.of("nss/kek", KeyUsage.WRAP, KeyUsage.UNWRAP).sessionOnly());
    EcPrivateKey k = token.keys().generateEcP256(
        KeySpec.of("nss/ec", KeyUsage.DERIVE).sessionOnly().asCeremony());
    byte[] wrapped = kek.wrap(k);
    // without a public value softokn refuses (CKR_TEMPLATE_INCOMPLETE), and the error names the
    // template it was given
    HsmException e = assertThrows(HsmException.class, () -> kek.unwrapEcP256(wrapped,
        KeySpec.of("nss/ec-bare", KeyUsage.DERIVE).sessionOnly()));
    assertEquals("CKR_TEMPLATE_INCOMPLETE", e.ckr().orElseThrow().name());
    assertTrue(e.getMessage().contains("CKA_DERIVE=true"), e.getMessage());

    // with it (CKA_NSS_DB, as NSS's own PK11_UnwrapPrivKey does) the key arrives, as a session
    // object and as a token object, sensitive and non-extractable, and computes the same ECDH
    byte[] peer = SoftEc.point((java.security.interfaces.ECPublicKey) SoftEc.generate().getPublic());
    byte[] expected = k.ecdhX(peer);
    assertEquals(EcdhRoute.DIRECT, k.ecdhRoute(), "softokn lets the derived secret be read");
    for (KeySpec spec : new KeySpec[] {KeySpec.of("nss/ec-session", KeyUsage.DERIVE).sessionOnly(),
        KeySpec.of("nss/ec-token", KeyUsage.DERIVE)}) {
      EcPrivateKey back = kek.unwrapEcP256(wrapped, spec, k.publicKey());
      ObjectInfo info = back.info();
      assertEquals(Boolean.FALSE, info.extractable(), spec.label());
      assertEquals(Boolean.TRUE, info.sensitive(), spec.label());
      assertEquals(spec.persistent(), info.tokenObject(), spec.label());
      assertArrayEquals(expected, back.ecdhX(peer), spec.label());
      // softokn's C_WrapKey does not read CKA_EXTRACTABLE (bkv token check reports it)
      assertTrue(kek.wrap(back).length > 0, spec.label());
      back.destroy();
    }
  }

  @Test
  void anOprfKeyShareEvaluatesWithItsPublicPoint() throws Exception {
    ShareWrapKey group = new ShareWrapKey(token.keys().generateAes256(
        KeySpec.of("nss/share-wrap", KeyUsage.WRAP, KeyUsage.UNWRAP).sessionOnly()));
    ShareWrapKey.WrappedShare share = group.generate();
    java.security.KeyPair peer = SoftEc.generate();
    byte[] peerPoint = SoftEc.point((java.security.interfaces.ECPublicKey) peer.getPublic());
    // without the share's public point softokn cannot take the share back
    HsmException e = assertThrows(HsmException.class, () -> group.evaluate(share.wrapped(), peerPoint));
    assertEquals("CKR_TEMPLATE_INCOMPLETE", e.ckr().orElseThrow().name());
    // with it: x(r·P) equals x(p·R) computed in software; twice, the second time directly
    for (int i = 0; i < 2; i++) {
      byte[][] x = group.evaluate(share.wrapped(), share.publicKey(), peerPoint);
      assertArrayEquals(SoftEc.ecdhX(peer, share.publicKey().point()), x[0]);
    }
    int objects = token.inventory().size();
    group.evaluate(share.wrapped(), share.publicKey(), peerPoint);
    assertEquals(objects, token.inventory().size(), "no share object may outlive the call");
  }

  @Test
  void anAesKeyTravelsUnderOaepWithSha256() throws Exception {
    RsaPrivateKey transport = token.keys().generateRsa(
        KeySpec.of("nss/transport", KeyUsage.UNWRAP).sessionOnly(), 2048);
    PublicKeyObject pub = token.keys().importPublicKey("nss/transport-pub", new byte[] {7},
        transport.publicKey());
    AesKey k = token.keys().generateAes256(
        KeySpec.of("nss/oaep-k", KeyUsage.ENCRYPT, KeyUsage.DECRYPT).sessionOnly().asCeremony());
    int objects = token.inventory().size();
    assertEquals(java.util.List.of(OaepHash.SHA256, OaepHash.SHA1), transport.oaepHashes());
    assertEquals(objects, token.inventory().size(), "the probe leaves nothing behind");
    byte[] wrapped = pub.wrap(k, OaepHash.SHA256);
    AesKey back = transport.unwrapAes(wrapped, KeySpec.of("nss/oaep-back", KeyUsage.ENCRYPT,
        KeyUsage.DECRYPT).sessionOnly(), OaepHash.SHA256);
    byte[] iv = token.random(12);
    byte[] pt = "the same key on both sides".getBytes();
    assertArrayEquals(pt, back.decryptGcm(iv, k.encryptGcm(iv, pt, null), null));
    // the hash is part of the format: a SHA-1 unwrap of a SHA-256 blob fails
    assertThrows(HsmException.class, () -> transport.unwrapAes(wrapped,
        KeySpec.of("nss/oaep-wrong", KeyUsage.ENCRYPT).sessionOnly(), OaepHash.SHA1));
  }
}
