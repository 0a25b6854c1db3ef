package dev.bkv.pkcs11;

import static org.junit.jupiter.api.Assertions.*;

import dev.bkv.pkcs11.testing.SoftHsmTokens;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EcPrivateKeyTest {
  static Pkcs11Token token;

  @BeforeAll
  static void open() throws Exception {
    token = Pkcs11Token.open(SoftHsmTokens.create("ec"));
  }

  @AfterAll
  static void close() {
    token.close();
  }

  @Test
  void ecdhMatchesSoftwareBothWays() throws Exception {
    EcPrivateKey k = token.keys().generateEcP256(KeySpec.of("ec/derive", KeyUsage.DERIVE));
    byte[] hsmPublic = k.publicKey().point();
    for (int i = 0; i < 5; i++) {
      KeyPair peer = SoftEc.generate();
      byte[] hsm = k.ecdhX(SoftEc.point((ECPublicKey) peer.getPublic()));
      byte[] soft = SoftEc.ecdhX(peer, hsmPublic);
      assertEquals(32, hsm.length);
      assertArrayEquals(soft, hsm);
    }
  }

  @Test
  void generatedKeyReadsBackLocalSensitiveNeverExtractable() throws Exception {
    EcPrivateKey k = token.keys().generateEcP256(KeySpec.of("ec/attrs", KeyUsage.DERIVE));
    ObjectInfo i = k.info();
    assertEquals(ObjectClass.PRIVATE_KEY, i.objectClass());
    assertEquals(KeyType.EC_P256, i.keyType());
    assertEquals("ec/attrs", i.label());
    assertArrayEquals(k.id(), i.id());
    assertEquals(16, i.id().length);
    assertEquals(Boolean.TRUE, i.local());
    assertEquals(Boolean.TRUE, i.sensitive());
    assertEquals(Boolean.TRUE, i.alwaysSensitive());
    assertEquals(Boolean.TRUE, i.neverExtractable());
    assertEquals(Boolean.FALSE, i.extractable());
    assertEquals(Boolean.FALSE, i.wrapWithTrusted());
    assertEquals(Boolean.TRUE, i.tokenObject());
    assertEquals(Boolean.TRUE, i.privateObject());
    assertEquals(java.util.Set.of(KeyUsage.DERIVE), i.usages());
  }

  @Test
  void deriveOnlyKeyCannotSign() throws Exception {
    EcPrivateKey k = token.keys().generateEcP256(KeySpec.of("ec/derive-only", KeyUsage.DERIVE));
    HsmException e = assertThrows(HsmException.class, () -> k.signEcdsa(new byte[] {1}));
    assertEquals("CKR_KEY_FUNCTION_NOT_PERMITTED", e.ckr().orElseThrow().name());
    assertTrue(e.getMessage().startsWith("ECDSA signing with EC_P256 key 'ec/derive-only'"), e.getMessage());
  }

  @Test
  void ecdsaVerifiesInSoftware() throws Exception {
    EcPrivateKey k = token.keys().generateEcP256(KeySpec.of("ec/sign", KeyUsage.SIGN));
    byte[] msg = "bkv evidence statement".getBytes();
    byte[] sig = k.signEcdsa(msg);
    assertEquals(64, sig.length);
    assertTrue(SoftEc.verifyRaw(k.publicKey().point(), msg, sig));
    assertFalse(SoftEc.verifyRaw(k.publicKey().point(), "other".getBytes(), sig));
  }

  @Test
  void importedScalarGivesKnownEcdh() throws Exception {
    KeyPair soft = SoftEc.generate();
    byte[] scalar = toBytes32(((ECPrivateKey) soft.getPrivate()).getS());
    PublicValue.EcP256 pub = new PublicValue.EcP256(SoftEc.point((ECPublicKey) soft.getPublic()));
    EcPrivateKey k = token.keys().importEcP256(KeySpec.of("ec/imported", KeyUsage.DERIVE), scalar, pub);
    KeyPair peer = SoftEc.generate();
    byte[] peerPoint = SoftEc.point((ECPublicKey) peer.getPublic());
    assertArrayEquals(SoftEc.ecdhX(soft, peerPoint), k.ecdhX(peerPoint));
    ObjectInfo i = k.info();
    assertEquals(Boolean.TRUE, i.sensitive());
    assertEquals(Boolean.FALSE, i.extractable());
    assertEquals(Boolean.FALSE, i.local());
    assertEquals(pub, token.keys().findEcP256("ec/imported").publicKey());
  }

  @Test
  void scalarOneTimesPointIsThePoint() throws Exception {
    byte[] one = new byte[32];
    one[31] = 1;
    EcPrivateKey k = token.keys().importEcP256(KeySpec.of("ec/one", KeyUsage.DERIVE), one, null);
    byte[] g = HexFormat.of().parseHex("04"
        + "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
        + "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5");
    assertEquals("6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
        HexFormat.of().formatHex(k.ecdhX(g)));
    HsmNotFoundException e = assertThrows(HsmNotFoundException.class, k::publicKey);
    assertTrue(e.getMessage().contains("'ec/one'"), e.getMessage());
  }

  @Test
  void findByLabelAndDestroy() throws Exception {
    EcPrivateKey k = token.keys().generateEcP256(KeySpec.of("ec/doomed", KeyUsage.DERIVE));
    EcPrivateKey found = token.keys().findEcP256("ec/doomed");
    assertArrayEquals(k.id(), found.id());
    assertEquals(k.publicKey(), found.publicKey());
    found.destroy();
    HsmNotFoundException e = assertThrows(HsmNotFoundException.class,
        () -> token.keys().findEcP256("ec/doomed"));
    assertTrue(e.getMessage().contains("no EC_P256 private key labelled 'ec/doomed'"), e.getMessage());
    assertFalse(token.keys().exists("ec/doomed"), "public half destroyed too");
  }

  @Test
  void duplicateLabelIsRefused() throws Exception {
    token.keys().generateEcP256(KeySpec.of("ec/dup", KeyUsage.DERIVE));
    HsmException e = assertThrows(HsmException.class,
        () -> token.keys().generateEcP256(KeySpec.of("ec/dup", KeyUsage.DERIVE)));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
  }

  @Test
  void badPeerPointIsRejectedBeforeTheToken() throws Exception {
    EcPrivateKey k = token.keys().generateEcP256(KeySpec.of("ec/badpeer", KeyUsage.DERIVE));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> k.ecdhX(new byte[33]));
    assertTrue(e.getMessage().contains("33 bytes"), e.getMessage());
  }

  static byte[] toBytes32(BigInteger v) {
    byte[] b = v.toByteArray();
    byte[] out = new byte[32];
    int n = Math.min(32, b.length);
    System.arraycopy(b, b.length - n, out, 32 - n, n);
    return out;
  }
}
