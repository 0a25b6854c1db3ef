package dev.bkv.opaque;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.ec.P256;
import dev.bkv.ec.Point;
import dev.bkv.ec.Scalar;
import dev.bkv.hash.Hkdf;
import dev.bkv.recovery.BadInputException;
import dev.bkv.recovery.InternalFaultException;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link HsmServerKeys} over software HMAC and x-only ECDH oracles: the same code path the
 * PKCS#11 binding uses, minus the token. Reproduces the RFC vectors with k_fleet = 1.
 */
class HsmServerKeysSoftwareOracleTest {
  private final SecureRandom rng = new SecureRandom();

  static List<OpaqueVectors.Case> real() {
    return OpaqueVectors.real();
  }

  static List<OpaqueVectors.Case> fake() {
    return OpaqueVectors.fake();
  }

  record Oracles(Counting.Hmac hmac, Counting.Ecdh fleet, Counting.Ecdh ake, HsmServerKeys keys) {
    int total() {
      return hmac.calls.get() + fleet.calls.get() + ake.calls.get();
    }
  }

  static Oracles oracles(byte[] oprfSeed, Scalar kFleet, Scalar ake) {
    Counting.Hmac hmac = new Counting.Hmac(data -> Hkdf.hmac(oprfSeed, data));
    Counting.Ecdh fleet = new Counting.Ecdh(p -> p.multiply(kFleet).x());
    Counting.Ecdh akeEcdh = new Counting.Ecdh(p -> p.multiply(ake).x());
    return new Oracles(hmac, fleet, akeEcdh, new HsmServerKeys(hmac, fleet,
        P256.multiplyGenerator(kFleet), akeEcdh, P256.multiplyGenerator(ake)));
  }

  @ParameterizedTest
  @MethodSource("real")
  void realVectorsWithFleetKeyOne(OpaqueVectors.Case c) throws Exception {
    Oracles o = oracles(c.in("oprf_seed"), Scalar.one(), c.serverPrivateKey());
    OpaqueVectors.runReal(c, o.keys());
    // registration evaluation + login evaluation + login fake-record seed (always derived)
    assertEquals(3, o.hmac().calls.get());
    assertEquals(4, o.fleet().calls.get());
    assertEquals(2, o.ake().calls.get());
  }

  @ParameterizedTest
  @MethodSource("fake")
  void fakeVectorWithFleetKeyOne(OpaqueVectors.Case c) throws Exception {
    OpaqueVectors.runFake(c, oracles(c.in("oprf_seed"), Scalar.one(), c.serverPrivateKey()).keys());
  }

  @Test
  void roundTripsWithRandomFleetKey() throws Exception {
    byte[] seed = new byte[32];
    rng.nextBytes(seed);
    Oracles o = oracles(seed, Scalar.random(rng), Scalar.random(rng));
    for (int i = 0; i < 20; i++) {
      LoginFlows.assertRoundTrip(o.keys(), rng);
    }
    assertTrue(o.fleet().calls.get() >= 2 * 2 * 20);
  }

  @Test
  void fleetKeyMultipliesTheRfcKey() throws Exception {
    byte[] seed = new byte[32];
    rng.nextBytes(seed);
    Scalar kFleet = Scalar.random(rng);
    Scalar ake = Scalar.random(rng);
    SoftwareServerKeys rfc = new SoftwareServerKeys(dev.bkv.recovery.SecretBytes.copyOf(seed), ake);
    HsmServerKeys hsm = oracles(seed, kFleet, ake).keys();
    Point b = P256.multiplyGenerator(Scalar.random(rng));
    byte[] credId = "user-1".getBytes();
    assertEquals(rfc.evaluate(credId, b).multiply(kFleet), hsm.evaluate(credId, b));
    assertEquals(rfc.dh(b), hsm.dh(b));
    assertArrayEquals(rfc.fakeRecordSeed(credId).copy(), hsm.fakeRecordSeed(credId).copy());
  }

  @Test
  void invalidPointsNeverReachTheOracles() throws Exception {
    Oracles o = oracles(new byte[32], Scalar.random(rng), Scalar.random(rng));
    byte[] ke1 = ClientLogin.start(LoginFlows.SUITE, "pw".getBytes(), rng)
        .ke1().toBytes();
    for (byte[] bad : MessageCorruptions.invalidKe1s(ke1)) {
      assertThrows(BadInputException.class, () -> Ke1.parse(bad));
    }
    for (byte[] bad : MessageCorruptions.invalidPoints()) {
      assertThrows(BadInputException.class, () -> RegistrationRequest.parse(bad));
    }
    assertEquals(0, o.total());
    ServerLogin.start(LoginFlows.SUITE, o.keys(), "u".getBytes(), null,
        Ke1.parse(ke1), Identities.NONE, rng);
    assertTrue(o.total() > 0);
  }

  @Test
  void knownAndUnknownUsersCostTheSameKeyHolderCalls() throws Exception {
    Oracles known = oracles(new byte[32], Scalar.random(rng), Scalar.random(rng));
    LoginFlows.Registered reg = LoginFlows.register(LoginFlows.SUITE, known.keys(),
        "known".getBytes(), "pw".getBytes(), Identities.NONE, rng);
    int afterRegistration = known.total();
    Ke1 ke1 = ClientLogin.start(LoginFlows.SUITE, "pw".getBytes(), rng).ke1();
    ServerLogin.start(LoginFlows.SUITE, known.keys(), "known".getBytes(), reg.record(), ke1,
        Identities.NONE, rng);
    int knownCalls = known.total() - afterRegistration;
    Oracles unknown = oracles(new byte[32], Scalar.random(rng), Scalar.random(rng));
    ServerLogin.start(LoginFlows.SUITE, unknown.keys(), "unknown".getBytes(), null, ke1,
        Identities.NONE, rng);
    assertEquals(knownCalls, unknown.total());
    assertEquals(6, knownCalls); // 2 HMAC + 2 ECDH (OPRF) + 2 ECDH (3DH)
  }

  @Test
  void faultyOracleAbortsTheLogin() throws Exception {
    byte[] seed = new byte[32];
    Scalar ake = Scalar.random(rng);
    HsmServerKeys faulty = new HsmServerKeys(data -> Hkdf.hmac(seed, data),
        p -> p.multiply(Scalar.random(rng)).x(), P256.generator(),
        p -> p.multiply(ake).x(), P256.multiplyGenerator(ake));
    Ke1 ke1 = ClientLogin.start(LoginFlows.SUITE, "pw".getBytes(), rng).ke1();
    assertThrows(InternalFaultException.class, () -> ServerLogin.start(
        LoginFlows.SUITE, faulty, "u".getBytes(), null, ke1, Identities.NONE, rng));
    HsmServerKeys shortMac = new HsmServerKeys(data -> new byte[16],
        p -> p.x(), P256.generator(), p -> p.multiply(ake).x(), P256.multiplyGenerator(ake));
    assertThrows(InternalFaultException.class,
        () -> shortMac.evaluate("u".getBytes(), P256.generator()));
  }
}
