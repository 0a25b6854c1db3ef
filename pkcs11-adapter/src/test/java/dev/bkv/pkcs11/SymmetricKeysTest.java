package dev.bkv.pkcs11;

import static org.junit.jupiter.api.Assertions.*;

import dev.bkv.pkcs11.testing.SoftHsmTokens;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SymmetricKeysTest {
  static Pkcs11Token token;
  static AesKey record;

  @BeforeAll
  static void open() throws Exception {
    token = Pkcs11Token.open(SoftHsmTokens.create("sym"));
    record = token.keys().generateAes256(KeySpec.of("fleet/1/record", KeyUsage.ENCRYPT, KeyUsage.DECRYPT));
  }

  @AfterAll
  static void close() {
    token.close();
  }

  @Test
  void gcmRoundTripsWithAad() throws Exception {
    byte[] iv = token.random(12);
    byte[] pt = "a 32-byte sealed backup key.....".getBytes();
    byte[] aad = "user=alice|fleet=1|epoch=1".getBytes();
    byte[] ct = record.encryptGcm(iv, pt, aad);
    assertEquals(pt.length + 16, ct.length);
    assertArrayEquals(pt, record.decryptGcm(iv, ct, aad));
  }

  @Test
  void gcmTamperingIsAnAuthenticationFailure() throws Exception {
    byte[] iv = token.random(12);
    byte[] aad = "user=alice".getBytes();
    byte[] ct = record.encryptGcm(iv, new byte[32], aad);
    byte[] flipped = ct.clone();
    flipped[5] ^= 1;
    HsmAuthenticationException e = assertThrows(HsmAuthenticationException.class,
        () -> record.decryptGcm(iv, flipped, aad));
    assertTrue(e.getMessage().contains("authentication failed"), e.getMessage());
    assertTrue(e.getMessage().startsWith("AES-GCM decryption with AES key 'fleet/1/record'"), e.getMessage());
    assertThrows(HsmAuthenticationException.class, () -> record.decryptGcm(iv, ct, "user=bob".getBytes()));
    byte[] otherIv = iv.clone();
    otherIv[0] ^= 1;
    assertThrows(HsmAuthenticationException.class, () -> record.decryptGcm(otherIv, ct, aad));
    assertThrows(HsmAuthenticationException.class, () -> record.decryptGcm(iv, new byte[10], aad));
    // the key still works after failures
    assertArrayEquals(new byte[32], record.decryptGcm(iv, ct, aad));
  }

  @Test
  void gcmRejectsWrongIvLength() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> record.encryptGcm(new byte[16], new byte[1], null));
    assertTrue(e.getMessage().contains("16 bytes"), e.getMessage());
  }

  @Test
  void aesKeyAttributesAreExplicit() throws Exception {
    ObjectInfo i = record.info();
    assertEquals(KeyType.AES, i.keyType());
    assertEquals(Set.of(KeyUsage.ENCRYPT, KeyUsage.DECRYPT), i.usages());
    assertEquals(Boolean.TRUE, i.sensitive());
    assertEquals(Boolean.FALSE, i.extractable());
    assertEquals(Boolean.TRUE, i.neverExtractable());
    assertEquals(Boolean.TRUE, i.local());
  }

  @Test
  void hmacMatchesSoftwareForAnImportedSecret() throws Exception {
    byte[] secret = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    HmacKey k = token.keys().importHmacKey(KeySpec.of("fleet/1/oprf-seed", KeyUsage.SIGN), secret);
    byte[] data = "credential identifier".getBytes();
    Mac soft = Mac.getInstance("HmacSHA256");
    soft.init(new SecretKeySpec(secret, "HmacSHA256"));
    byte[] expected = soft.doFinal(data);
    assertArrayEquals(expected, k.sign(data));
    assertTrue(k.verify(data, expected));
    byte[] wrong = expected.clone();
    wrong[31] ^= 1;
    assertFalse(k.verify(data, wrong));
    assertFalse(k.verify(data, new byte[16]));
    ObjectInfo i = k.info();
    assertEquals(Boolean.TRUE, i.sensitive());
    assertEquals(Boolean.FALSE, i.extractable());
    assertEquals(Set.of(KeyUsage.SIGN), i.usages());
  }

  @Test
  void generatedHmacKeyIsStable() throws Exception {
    HmacKey k = token.keys().generateHmacKey(KeySpec.of("hmac/gen", KeyUsage.SIGN, KeyUsage.VERIFY));
    assertArrayEquals(k.sign(new byte[] {1, 2}), token.keys().findHmacKey("hmac/gen").sign(new byte[] {1, 2}));
    assertEquals(32, k.sign(new byte[0]).length);
    assertArrayEquals(k.sign(new byte[0]), k.sign(new byte[0]));
  }

  @Test
  void ed25519SignaturesVerifyInTheJdk() throws Exception {
    Ed25519PrivateKey k = token.keys().generateEd25519(KeySpec.of("cosigner/ed", KeyUsage.SIGN));
    byte[] pub = k.publicKey().key();
    byte[] msg = "c2sp signed note".getBytes();
    byte[] sig = k.sign(msg);
    assertEquals(64, sig.length);
    Signature v = Signature.getInstance("Ed25519");
    v.initVerify(jdkEd25519(pub));
    v.update(msg);
    assertTrue(v.verify(sig));
    assertEquals(KeyType.ED25519, k.info().keyType());
    assertEquals(k.publicKey(), token.keys().findEd25519("cosigner/ed").publicKey());
  }

  @Test
  void usagesAreCheckedPerKeyType() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> token.keys().generateEcP256(KeySpec.of("bad", KeyUsage.ENCRYPT)));
    assertTrue(e.getMessage().contains("ENCRYPT"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> token.keys().generateAes256(KeySpec.of("bad", KeyUsage.DERIVE)));
  }

  static java.security.PublicKey jdkEd25519(byte[] enc) throws Exception {
    byte[] le = enc.clone();
    boolean xOdd = (le[31] & 0x80) != 0;
    le[31] &= 0x7f;
    byte[] be = new byte[32];
    for (int i = 0; i < 32; i++) {
      be[i] = le[31 - i];
    }
    EdECPoint p = new EdECPoint(xOdd, new java.math.BigInteger(1, be));
    return KeyFactory.getInstance("Ed25519").generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, p));
  }
}
