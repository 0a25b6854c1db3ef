package dev.bkv.pkcs11;

import static org.junit.jupiter.api.Assertions.*;

import dev.bkv.pkcs11.testing.SoftHsmTokens;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Per-user OPRF key shares: born in the HSM, leave it only wrapped, evaluate as ECDH. */
class ShareWrapKeyTest {
  static Pkcs11Token token;
  static ShareWrapKey group;

  @BeforeAll
  static void open() throws Exception {
    token = Pkcs11Token.open(SoftHsmTokens.create("shares"));
    group = new ShareWrapKey(token.keys().generateAes256(
        KeySpec.of("fleet/s1/oprf-share/m1", KeyUsage.WRAP, KeyUsage.UNWRAP)));
  }

  @AfterAll
  static void close() {
    token.close();
  }

  @Test
  void evaluatesAsEcdhWithTheShareAndLeavesNoObjectBehind() throws Exception {
    int before = token.inventory().size();
    ShareWrapKey.WrappedShare share = group.generate();
    KeyPair peer = SoftEc.generate();
    byte[] peerPoint = SoftEc.point((ECPublicKey) peer.getPublic());
    byte[][] x = group.evaluate(share.wrapped(), peerPoint, share.publicKey().point());
    // x(r·P) equals x(p·R) computed in software from the peer's private key and the share's
    // public point R = r·G.
    assertArrayEquals(SoftEc.ecdhX(peer, share.publicKey().point()), x[0]);
    assertEquals(32, x[1].length);
    assertEquals(before, token.inventory().size(), "no share object may outlive the call");
  }

  @Test
  void sharesAreFreshAndOnlyOpenUnderTheirGroupKey() throws Exception {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      ShareWrapKey.WrappedShare s = group.generate();
      assertTrue(seen.add(HexFormat.of().formatHex(s.publicKey().point())));
      assertTrue(s.wrapped().length >= 64 && s.wrapped().length % 8 == 0, "" + s.wrapped().length);
    }
    ShareWrapKey other = new ShareWrapKey(token.keys().generateAes256(
        KeySpec.of("fleet/s1/oprf-share/m2", KeyUsage.WRAP, KeyUsage.UNWRAP)));
    ShareWrapKey.WrappedShare s = group.generate();
    HsmException e = assertThrows(HsmException.class,
        () -> other.evaluate(s.wrapped(), s.publicKey().point()));
    assertTrue(e.getMessage().startsWith("evaluating an OPRF key share under"), e.getMessage());
    byte[] tampered = s.wrapped();
    tampered[tampered.length - 1] ^= 1;
    assertThrows(HsmException.class, () -> group.evaluate(tampered, s.publicKey().point()));
  }

  @Test
  void checkValueIsEqualOnEveryHolderAndDiffersBetweenKeys() throws Exception {
    Pkcs11Token second = Pkcs11Token.open(SoftHsmTokens.create("shares2"));
    try {
      // W on this token as a ceremony key, moved to the second token as in the fleet ceremony
      AesKey w = token.keys().generateAes256(KeySpec.of("fleet/kc/oprf-share/a", KeyUsage.WRAP,
          KeyUsage.UNWRAP).asCeremony());
      RsaPrivateKey transport = second.keys().generateRsa(KeySpec.of("member/transport", KeyUsage.UNWRAP), 2048);
      PublicKeyObject trustedTransport = token.asSecurityOfficer(so ->
          so.importTrustedPublicKey("peer/kc/transport", transport.id(), transport.publicKey()));
      AesKey kek = token.asSecurityOfficer(so -> so.generateTrustedWrappingKey("kek/kc", new byte[] {3}));
      AesKey kekThere = transport.unwrapAes(trustedTransport.wrap(kek),
          KeySpec.of("kek/kc", KeyUsage.UNWRAP).sessionOnly());
      AesKey wThere = kekThere.unwrapAes(kek.wrap(w), KeySpec.of("fleet/kc/oprf-share/a", KeyUsage.WRAP,
          KeyUsage.UNWRAP).withId(w.id()));
      kekThere.destroy();
      w.seal();
      int before = token.inventory().size();
      String here = new ShareWrapKey(w).checkValue();
      assertEquals(before, token.inventory().size(), "the known secret may not outlive the call");
      assertTrue(here.matches("[0-9a-f]{64}"), here);
      assertEquals(here, new ShareWrapKey(wThere).checkValue(), "same key, same check value");
      assertEquals(here, new ShareWrapKey(w).checkValue(), "deterministic");
      assertEquals(Boolean.FALSE, wThere.info().extractable());
      assertNotEquals(here, group.checkValue(), "another key gives another value");
      // a share generated on one holder evaluates on the other
      ShareWrapKey.WrappedShare s = new ShareWrapKey(w).generate();
      assertArrayEquals(new ShareWrapKey(w).evaluate(s.wrapped(), s.publicKey().point())[0],
          new ShareWrapKey(wThere).evaluate(s.wrapped(), s.publicKey().point())[0]);
    } finally {
      second.close();
    }
  }

  @Test
  void refusesAMalformedPointBeforeTheHsm() {
    assertThrows(IllegalArgumentException.class, () -> group.evaluate(new byte[40], new byte[33]));
  }
}
