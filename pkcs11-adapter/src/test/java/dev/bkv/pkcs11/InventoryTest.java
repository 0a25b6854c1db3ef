package dev.bkv.pkcs11;

import static org.junit.jupiter.api.Assertions.*;

import dev.bkv.pkcs11.testing.SoftHsmTokens;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class InventoryTest {
  static Pkcs11Token token;

  @BeforeAll
  static void open() throws Exception {
    token = Pkcs11Token.open(SoftHsmTokens.create("inv"));
  }

  @AfterAll
  static void close() {
    token.close();
  }

  private static ObjectInfo only(List<ObjectInfo> all, String label, ObjectClass cls) {
    List<ObjectInfo> m = all.stream().filter(i -> i.label().equals(label) && i.objectClass() == cls).toList();
    assertEquals(1, m.size(), label + " " + cls + " in " + all);
    return m.get(0);
  }

  @Test
  void listsEveryObjectWithAttributesAndPublicValues() throws Exception {
    try (Pkcs11Token fresh = Pkcs11Token.open(SoftHsmTokens.create("inv-all"))) {
      listsEverything(fresh);
    }
  }

  private static void listsEverything(Pkcs11Token token) throws Exception {
    EcPrivateKey ec = token.keys().generateEcP256(KeySpec.of("member/identity", KeyUsage.SIGN));
    Ed25519PrivateKey ed = token.keys().generateEd25519(KeySpec.of("cosigner", KeyUsage.SIGN));
    RsaPrivateKey rsa = token.keys().generateRsa(KeySpec.of("member/transport", KeyUsage.UNWRAP), 2048);
    token.keys().generateAes256(KeySpec.of("fleet/1/record", KeyUsage.ENCRYPT, KeyUsage.DECRYPT).asCeremony());
    token.keys().generateHmacKey(KeySpec.of("fleet/1/oprf-seed", KeyUsage.SIGN));
    List<ObjectInfo> all = token.inventory();
    assertEquals(8, all.size(), all.toString());

    ObjectInfo ecPriv = only(all, "member/identity", ObjectClass.PRIVATE_KEY);
    ObjectInfo ecPub = only(all, "member/identity", ObjectClass.PUBLIC_KEY);
    assertEquals(KeyType.EC_P256, ecPub.keyType());
    assertEquals(ec.publicKey(), ecPub.publicValue());
    assertNull(ecPriv.publicValue());
    assertArrayEquals(ec.id(), ecPub.id());
    assertEquals(Set.of(KeyUsage.SIGN), ecPriv.usages());
    assertEquals(Set.of(KeyUsage.VERIFY), ecPub.usages());
    assertEquals(Boolean.TRUE, ecPriv.neverExtractable());
    assertNull(ecPub.sensitive(), "public keys have no CKA_SENSITIVE");
    assertEquals(Boolean.FALSE, ecPub.trusted());

    assertEquals(ed.publicKey(), only(all, "cosigner", ObjectClass.PUBLIC_KEY).publicValue());
    assertEquals(KeyType.ED25519, only(all, "cosigner", ObjectClass.PRIVATE_KEY).keyType());

    ObjectInfo rsaPub = only(all, "member/transport", ObjectClass.PUBLIC_KEY);
    assertEquals(rsa.publicKey(), rsaPub.publicValue());
    assertEquals(Set.of(KeyUsage.WRAP), rsaPub.usages());
    assertEquals(Set.of(KeyUsage.UNWRAP), only(all, "member/transport", ObjectClass.PRIVATE_KEY).usages());

    ObjectInfo record = only(all, "fleet/1/record", ObjectClass.SECRET_KEY);
    assertEquals(KeyType.AES, record.keyType());
    assertEquals(Boolean.TRUE, record.extractable());
    assertEquals(Boolean.TRUE, record.wrapWithTrusted());
    assertEquals(Boolean.TRUE, record.modifiable());
    assertNull(record.publicValue());

    ObjectInfo seed = only(all, "fleet/1/oprf-seed", ObjectClass.SECRET_KEY);
    assertEquals(KeyType.GENERIC_SECRET, seed.keyType());
    assertEquals(Boolean.TRUE, seed.local());
    assertEquals(Boolean.TRUE, seed.alwaysSensitive());
  }

  @Test
  void objectInfoIsAValue() throws Exception {
    EcPrivateKey ec = token.keys().generateEcP256(KeySpec.of("value/ec", KeyUsage.DERIVE));
    assertEquals(ec.info(), ec.info());
    assertEquals(ec.info().hashCode(), ec.info().hashCode());
    byte[] id = ec.info().id();
    id[0] ^= 1;
    assertFalse(java.util.Arrays.equals(id, ec.info().id()), "id is copied out");
  }
}
