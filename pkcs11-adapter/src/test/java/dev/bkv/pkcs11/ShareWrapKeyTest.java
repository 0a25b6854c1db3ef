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
  void refusesAMalformedPointBeforeTheHsm() {
    assertThrows(IllegalArgumentException.class, () -> group.evaluate(new byte[40], new byte[33]));
  }
}
