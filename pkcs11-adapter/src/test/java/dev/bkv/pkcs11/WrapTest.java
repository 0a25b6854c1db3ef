package dev.bkv.pkcs11;

import static org.junit.jupiter.api.Assertions.*;

import dev.bkv.pkcs11.testing.SoftHsmTokens;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Ceremony keys, trusted wrapping, sealing, and moving fleet keys between two tokens. */
class WrapTest {
  static Pkcs11Token genesis;
  static Pkcs11Token member;

  @BeforeAll
  static void open() throws Exception {
    genesis = Pkcs11Token.open(SoftHsmTokens.create("genesis"));
    member = Pkcs11Token.open(SoftHsmTokens.create("member"));
  }

  @AfterAll
  static void close() {
    genesis.close();
    member.close();
  }

  @Test
  void ceremonyKeyIsExtractableOnlyUnderTrustAndSealable() throws Exception {
    EcPrivateKey k = genesis.keys().generateEcP256(KeySpec.of("fleet/c1/ake", KeyUsage.DERIVE).asCeremony());
    ObjectInfo before = k.info();
    assertEquals(Boolean.TRUE, before.extractable());
    assertEquals(Boolean.TRUE, before.wrapWithTrusted());
    assertEquals(Boolean.TRUE, before.sensitive());
    assertEquals(Boolean.FALSE, before.neverExtractable());
    k.seal();
    ObjectInfo after = k.info();
    assertEquals(Boolean.FALSE, after.extractable());
    assertEquals(Boolean.FALSE, after.neverExtractable(), "the token remembers it was extractable");
    assertEquals(Boolean.TRUE, after.wrapWithTrusted());
    assertEquals(Boolean.TRUE, after.sensitive());
  }

  @Test
  void fleetKeyWrapsToTrustedKekButNotToUntrustedOne() throws Exception {
    EcPrivateKey fleet = genesis.keys().generateEcP256(KeySpec.of("fleet/c2/oprf", KeyUsage.DERIVE).asCeremony());
    AesKey untrusted = genesis.keys().generateAes256(KeySpec.of("kek/c2/untrusted", KeyUsage.WRAP));
    HsmException e = assertThrows(HsmException.class, () -> untrusted.wrap(fleet));
    assertEquals(Ckr.KEY_NOT_WRAPPABLE, e.ckr().orElseThrow());
    assertTrue(e.getMessage().startsWith("wrapping EC_P256 key 'fleet/c2/oprf'"), e.getMessage());

    AesKey trusted = genesis.asSecurityOfficer(so -> so.generateTrustedWrappingKey("kek/c2/trusted", new byte[] {7}));
    assertEquals(Boolean.TRUE, trusted.info().trusted());
    byte[] wrapped = trusted.wrap(fleet);
    assertTrue(wrapped.length >= 64 && wrapped.length % 8 == 0, "PKCS#8 EC key under KWP: " + wrapped.length);

    EcPrivateKey plain = genesis.keys().generateEcP256(KeySpec.of("fleet/c2/plain", KeyUsage.DERIVE));
    HsmException notExtractable = assertThrows(HsmException.class, () -> trusted.wrap(plain));
    assertEquals(Ckr.KEY_UNEXTRACTABLE, notExtractable.ckr().orElseThrow());
  }

  @Test
  void failedSoScopeLeavesTheUserLoggedInAndOnlySoCanTrust() throws Exception {
    PublicValue.EcP256 first = new PublicValue.EcP256(pointOf(SoftEc.generate()));
    PublicValue.EcP256 second = new PublicValue.EcP256(pointOf(SoftEc.generate()));
    HsmException e = assertThrows(HsmException.class, () -> genesis.asSecurityOfficer(so -> {
      so.importTrustedPublicKey("peer/dup", new byte[] {1}, first);
      return so.importTrustedPublicKey("peer/dup", new byte[] {1}, second);
    }));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    assertEquals(32, genesis.random(32).length);
    assertEquals(64, genesis.keys().generateEcP256(KeySpec.of("after/so", KeyUsage.SIGN)).signEcdsa(new byte[] {1}).length);
    PublicKeyObject peer = genesis.keys().findPublicKey("peer/dup");
    assertTrue(peer.isTrusted());
    assertEquals(first, peer.value());
    PublicKeyObject userMade = genesis.keys().importPublicKey("peer/user", new byte[] {2}, second);
    assertFalse(userMade.isTrusted());
  }

  @Test
  void rsaOaepThenKwpMovesFleetKeysAcrossTokens() throws Exception {
    // member: transport key pair, generated on its token
    RsaPrivateKey transport = member.keys().generateRsa(KeySpec.of("member/transport", KeyUsage.UNWRAP), 2048);
    PublicValue.Rsa transportPublic = transport.publicKey();
    assertEquals(2048, transportPublic.bits());

    // genesis: fleet keys (ceremony), the member's transport key trusted by the SO, a trusted KEK
    EcPrivateKey fleet = genesis.keys().generateEcP256(KeySpec.of("fleet/x/oprf", KeyUsage.DERIVE).asCeremony());
    HmacKey seed = genesis.keys().importHmacKey(KeySpec.of("fleet/x/oprf-seed", KeyUsage.SIGN).asCeremony(),
        genesis.random(32));
    PublicKeyObject memberTransport = genesis.asSecurityOfficer(so ->
        so.importTrustedPublicKey("peer/member/transport", transport.id(), transportPublic));
    AesKey kek = genesis.asSecurityOfficer(so -> so.generateTrustedWrappingKey("kek/x", new byte[] {9}));

    byte[] wrappedKek = memberTransport.wrap(kek);
    byte[] wrappedFleet = kek.wrap(fleet);
    byte[] wrappedSeed = kek.wrap(seed);

    // member: unwrap KEK (session-only), then the fleet keys, non-extractable
    AesKey kekOnMember = transport.unwrapAes(wrappedKek, KeySpec.of("kek/x", KeyUsage.UNWRAP).sessionOnly());
    EcPrivateKey fleetOnMember = kekOnMember.unwrapEcP256(wrappedFleet,
        KeySpec.of("fleet/x/oprf", KeyUsage.DERIVE).withId(fleet.id()));
    HmacKey seedOnMember = kekOnMember.unwrapGenericSecret(wrappedSeed,
        KeySpec.of("fleet/x/oprf-seed", KeyUsage.SIGN).withId(seed.id()));
    kekOnMember.destroy();

    KeyPair peer = SoftEc.generate();
    byte[] peerPoint = pointOf(peer);
    assertArrayEquals(fleet.ecdhX(peerPoint), fleetOnMember.ecdhX(peerPoint));
    assertArrayEquals(SoftEc.ecdhX(peer, fleet.publicKey().point()), fleetOnMember.ecdhX(peerPoint));
    assertArrayEquals(seed.sign(new byte[] {1, 2, 3}), seedOnMember.sign(new byte[] {1, 2, 3}));

    ObjectInfo onMember = fleetOnMember.info();
    assertEquals(Boolean.FALSE, onMember.extractable());
    assertEquals(Boolean.TRUE, onMember.sensitive());
    assertEquals(Boolean.FALSE, onMember.local());
    assertArrayEquals(fleet.id(), onMember.id());

    // seal the genesis copies and drop the trusted objects
    fleet.seal();
    seed.seal();
    memberTransport.destroy();
    kek.destroy();
    assertEquals(Boolean.FALSE, fleet.info().extractable());
    HsmException sealed = assertThrows(HsmException.class,
        () -> genesis.keys().generateAes256(KeySpec.of("kek/y", KeyUsage.WRAP)).wrap(fleet));
    assertTrue(sealed.ckr().isPresent());
  }

  @Test
  void rsaOaepCannotWrapEcKeys() throws Exception {
    RsaPrivateKey rsa = member.keys().generateRsa(KeySpec.of("member/t2", KeyUsage.UNWRAP), 2048);
    PublicKeyObject pub = genesis.asSecurityOfficer(so ->
        so.importTrustedPublicKey("peer/t2", rsa.id(), rsa.publicKey()));
    EcPrivateKey fleet = genesis.keys().generateEcP256(KeySpec.of("fleet/t2", KeyUsage.DERIVE).asCeremony());
    HsmException e = assertThrows(HsmException.class, () -> pub.wrap(fleet));
    assertEquals(Ckr.KEY_NOT_WRAPPABLE, e.ckr().orElseThrow());
  }

  static byte[] pointOf(KeyPair kp) {
    return SoftEc.point((ECPublicKey) kp.getPublic());
  }
}
