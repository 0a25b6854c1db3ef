package dev.bkv.pkcs11;

import static org.junit.jupiter.api.Assertions.*;

import dev.bkv.pkcs11.check.Capability;
import dev.bkv.pkcs11.check.CheckReport;
import dev.bkv.pkcs11.check.Finding;
import dev.bkv.pkcs11.check.Role;
import dev.bkv.pkcs11.check.Status;
import dev.bkv.pkcs11.testing.RefusingShim;
import dev.bkv.pkcs11.testing.RefusingShim.Refusal;
import dev.bkv.pkcs11.testing.SoftHsmTokens;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.Session;

/**
 * The ECDH wrap-out route on SoftHSM2 behind the shim module (src/test/c/refusing-shim.c): with
 * derived secrets forced sensitive, x(k·P) leaves the token wrapped under a host session key and
 * still equals the software ECDH; with them also forced non-extractable, nothing releases it and
 * both the error and `token check` say so. Each test takes a fresh token, since the route is
 * remembered per token.
 */
class EcdhWrapOutTest {
  private static final Set<Refusal> VALUE = EnumSet.of(Refusal.DERIVED_VALUE);
  private static final Set<Refusal> NOTHING = EnumSet.of(Refusal.DERIVED_VALUE, Refusal.DERIVED_WRAP);
  private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
  private static final SecureRandom RANDOM = new SecureRandom();

  @BeforeAll
  static void softHsmFirst() throws Exception {
    // SoftHSM2 is loaded directly first; the shims share that one instance and see its tokens
    Pkcs11Token.open(SoftHsmTokens.create("wrapout")).close();
    RefusingShim.module(VALUE);
    RefusingShim.module(NOTHING);
  }

  /** A fresh token, seen through the shim refusing {@code refusals}. */
  private static Pkcs11Config shimmed(Set<Refusal> refusals) {
    Pkcs11Config direct = SoftHsmTokens.create("wrapout");
    return new Pkcs11Config(RefusingShim.module(refusals), direct.token(), direct.userPin(),
        direct.soPin(), Optional.empty());
  }

  private static EcPrivateKey ecdhKey(Pkcs11Token t) throws HsmException {
    return t.keys().generateEcP256(KeySpec.of("ecdh/" + UUID.randomUUID(), KeyUsage.DERIVE));
  }

  /** Every object a fresh session sees: token objects and every session's session objects. */
  private static int objects(Pkcs11Token t) throws Exception {
    Session s = RawAccess.slot(t).getToken().openSession(false);
    try {
      return s.findObjectsSingle(new AttributeVector(), 100_000).length;
    } finally {
      s.closeSession();
    }
  }

  /** A random peer scalar's point and BouncyCastle's x(d·Q) for the token's public point Q. */
  private record Peer(byte[] point, byte[] expectedX) {}

  private static Peer peer(byte[] tokenPublic) {
    BigInteger d = new BigInteger(256, RANDOM).mod(P256.getN().subtract(BigInteger.ONE)).add(BigInteger.ONE);
    ECPoint q = P256.getCurve().decodePoint(tokenPublic);
    return new Peer(P256.getG().multiply(d).normalize().getEncoded(false),
        q.multiply(d).normalize().getAffineXCoord().getEncoded());
  }

  @Test
  void plainSoftHsm2ReadsTheDerivedSecretDirectly() throws Exception {
    try (Pkcs11Token t = Pkcs11Token.open(SoftHsmTokens.create("wrapout"))) {
      EcPrivateKey k = ecdhKey(t);
      Peer p = peer(k.publicKey().point());
      assertArrayEquals(p.expectedX(), k.ecdhX(p.point()));
      assertEquals(EcdhRoute.DIRECT, k.ecdhRoute());
    }
  }

  @Test
  void aSensitiveDerivedSecretIsWrappedOutAndMatchesSoftware() throws Exception {
    try (Pkcs11Token t = Pkcs11Token.open(shimmed(VALUE))) {
      EcPrivateKey k = ecdhKey(t);
      byte[] pub = k.publicKey().point();
      int before = objects(t);
      long derivesBefore = RefusingShim.derivations(VALUE);
      int n = 8;
      for (int i = 0; i < n; i++) {
        Peer p = peer(pub);
        assertArrayEquals(p.expectedX(), k.ecdhX(p.point()), "peer " + i);
      }
      assertEquals(EcdhRoute.WRAP_OUT, k.ecdhRoute());
      // decided once: the first ECDH derived twice (the refused read, then the wrap-out), every
      // later one once (the wrap-out alone); ecdhRoute() only looked the route up
      assertEquals(n + 1, RefusingShim.derivations(VALUE) - derivesBefore);
      assertEquals(before, objects(t), "the derived secrets and host keys are all destroyed");
    }
  }

  @Test
  void theObjectCountSeesSessionObjectsOfOtherSessions() throws Exception {
    try (Pkcs11Token t = Pkcs11Token.open(shimmed(VALUE))) {
      int before = objects(t);
      AesKey k = t.keys().generateAes256(KeySpec.of("count/" + UUID.randomUUID(), KeyUsage.ENCRYPT)
          .sessionOnly());
      assertEquals(before + 1, objects(t));
      k.destroy();
      assertEquals(before, objects(t));
    }
  }

  @Test
  void shareEvaluationTakesTheWrapOutToo() throws Exception {
    try (Pkcs11Token t = Pkcs11Token.open(shimmed(VALUE))) {
      ShareWrapKey group = new ShareWrapKey(t.keys().generateAes256(
          KeySpec.of("fleet/w/oprf-share/" + UUID.randomUUID(), KeyUsage.WRAP, KeyUsage.UNWRAP)));
      ShareWrapKey.WrappedShare share = group.generate();
      Peer a = peer(share.publicKey().point());
      Peer b = peer(share.publicKey().point());
      int before = objects(t);
      long derivesBefore = RefusingShim.derivations(VALUE);
      byte[][] x = group.evaluate(share.wrapped(), share.publicKey(), a.point(), b.point());
      assertArrayEquals(a.expectedX(), x[0]);
      assertArrayEquals(b.expectedX(), x[1]);
      assertEquals(3, RefusingShim.derivations(VALUE) - derivesBefore,
          "one refused read, then a wrap-out per point");
      x = group.evaluate(share.wrapped(), share.publicKey(), a.point());
      assertArrayEquals(a.expectedX(), x[0]);
      assertEquals(4, RefusingShim.derivations(VALUE) - derivesBefore, "remembered: the wrap-out alone");
      assertEquals(before, objects(t), "no share, secret or host key outlives the call");
      assertEquals(EcdhRoute.WRAP_OUT, ecdhKey(t).ecdhRoute());
    }
  }

  @Test
  void tokenCheckShowsTheWrapOutFallback() throws Exception {
    try (Pkcs11Token t = Pkcs11Token.open(shimmed(VALUE))) {
      CheckReport r = t.check();
      System.out.println(r.table());
      Finding f = r.finding(Capability.ECDH_X);
      assertEquals(Status.FALLBACK, f.status(), f.detail());
      assertEquals("wrap-out: CKM_AES_KEY_WRAP under a host session key", f.fallback());
      assertTrue(r.table().lines().anyMatch(l -> l.startsWith("ECDH x-only") && l.contains("FALLBACK")
          && l.contains("-> wrap-out: CKM_AES_KEY_WRAP under a host session key")), r.table());
      assertTrue(r.canHost(Role.MEMBER), r.refusal(Role.MEMBER).orElse(""));
    }
  }

  @Test
  void whereNothingReleasesTheValueTheErrorNamesBothRoutes() throws Exception {
    try (Pkcs11Token t = Pkcs11Token.open(shimmed(NOTHING))) {
      EcPrivateKey k = ecdhKey(t);
      Peer p = peer(k.publicKey().point());
      int before = objects(t);
      HsmException e = assertThrows(HsmException.class, () -> k.ecdhX(p.point()));
      String m = e.getMessage();
      assertTrue(m.startsWith("ECDH with EC_P256 key '" + k.label() + "'"), m);
      assertTrue(m.contains("the token releases no ECDH value: reading the derived secret refused "
          + "(CKA_VALUE: CKR_ATTRIBUTE_SENSITIVE; the token made it CKA_SENSITIVE=true; the token made "
          + "it CKA_EXTRACTABLE=false); wrapping it out with CKM_AES_KEY_WRAP under a host session key "
          + "refused too (CKR_KEY_UNEXTRACTABLE [mechanism CKM_ECDH1_DERIVE, CKM_AES_KEY_WRAP"), m);
      assertEquals(before, objects(t), "nothing left behind by the failed routes");
      assertThrows(HsmException.class, k::ecdhRoute, "no route was remembered");
    }
  }

  @Test
  void tokenCheckSaysPlainlyThatNoMemberCanBeHosted() throws Exception {
    try (Pkcs11Token t = Pkcs11Token.open(shimmed(NOTHING))) {
      CheckReport r = t.check();
      System.out.println(r.table());
      Finding f = r.finding(Capability.ECDH_X);
      assertEquals(Status.MISSING, f.status(), f.detail());
      assertTrue(f.detail().contains("the token releases no ECDH value"), f.detail());
      assertTrue(f.detail().contains("CKM_AES_KEY_WRAP"), f.detail());
      assertTrue(f.detail().endsWith("(bkv needs the raw x-coordinate for the OPRF: this token "
          + "cannot host a member)"), f.detail());
      assertFalse(r.canHost(Role.MEMBER));
      assertTrue(r.refusal(Role.MEMBER).orElseThrow().contains("ECDH x-only ("), r.refusal(Role.MEMBER).get());
      assertTrue(r.canHost(Role.OPERATOR));
    }
  }
}
