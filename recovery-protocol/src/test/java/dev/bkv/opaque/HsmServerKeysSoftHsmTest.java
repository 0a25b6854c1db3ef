package dev.bkv.opaque;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.ec.P256;
import dev.bkv.ec.Point;
import dev.bkv.ec.Scalar;
import dev.bkv.pkcs11.EcPrivateKey;
import dev.bkv.pkcs11.HmacKey;
import dev.bkv.pkcs11.KeySpec;
import dev.bkv.pkcs11.KeyUsage;
import dev.bkv.pkcs11.ObjectInfo;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.PublicValue;
import dev.bkv.pkcs11.testing.SoftHsmTokens;
import dev.bkv.recovery.BadInputException;
import dev.bkv.recovery.InternalFaultException;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link HsmServerKeys} on a real SoftHSM2 token: the RFC 9807 vectors with the vector's
 * server_private_key and oprf_seed imported as non-extractable keys and k_fleet = 1, and round
 * trips with token-generated keys (random k_fleet). HSM calls are counted by decorators around
 * the function objects passed down.
 */
class HsmServerKeysSoftHsmTest {
  private static final AtomicInteger SEQ = new AtomicInteger();
  private static Pkcs11Token token;
  private final SecureRandom rng = new SecureRandom();

  @BeforeAll
  static void open() throws Exception {
    token = Pkcs11Token.open(SoftHsmTokens.create("opaque"));
  }

  @AfterAll
  static void close() {
    token.close();
  }

  static List<OpaqueVectors.Case> all() {
    return OpaqueVectors.all();
  }

  record Counted(HsmServerKeys keys, Counting.Hmac hmac, Counting.Ecdh fleet, Counting.Ecdh ake) {
    int total() {
      return hmac.calls.get() + fleet.calls.get() + ake.calls.get();
    }
  }

  static Counted counted(HmacKey seed, EcPrivateKey fleet, EcPrivateKey ake) throws Exception {
    Counting.Hmac h = new Counting.Hmac(Pkcs11Primitives.hmac(seed));
    Counting.Ecdh f = new Counting.Ecdh(Pkcs11Primitives.ecdh(fleet));
    Counting.Ecdh a = new Counting.Ecdh(Pkcs11Primitives.ecdh(ake));
    return new Counted(new HsmServerKeys(h, f, Pkcs11Primitives.publicKey(fleet), a,
        Pkcs11Primitives.publicKey(ake)), h, f, a);
  }

  static String label(String what) {
    return "t" + SEQ.incrementAndGet() + "/" + what;
  }

  static PublicValue.EcP256 pub(Point p) {
    return new PublicValue.EcP256(p.toUncompressed());
  }

  /** Imports the vector's secrets as non-extractable token keys, with k_fleet = 1. */
  static Counted importVectorKeys(OpaqueVectors.Case c) throws Exception {
    HmacKey seed = token.keys().importHmacKey(KeySpec.of(label("oprf-seed"), KeyUsage.SIGN),
        c.in("oprf_seed"));
    byte[] one = new byte[32];
    one[31] = 1;
    EcPrivateKey fleet = token.keys().importEcP256(KeySpec.of(label("oprf"), KeyUsage.DERIVE),
        one, pub(P256.generator()));
    EcPrivateKey ake = token.keys().importEcP256(KeySpec.of(label("ake"), KeyUsage.DERIVE),
        c.in("server_private_key"), pub(P256.decodePoint(c.in("server_public_key"))));
    for (ObjectInfo i : List.of(seed.info(), fleet.info(), ake.info())) {
      assertEquals(Boolean.TRUE, i.sensitive(), i.label());
      assertEquals(Boolean.FALSE, i.extractable(), i.label());
    }
    return counted(seed, fleet, ake);
  }

  @ParameterizedTest
  @MethodSource("all")
  void rfc9807VectorsThroughTheToken(OpaqueVectors.Case c) throws Exception {
    Counted k = importVectorKeys(c);
    if (c.fake()) {
      OpaqueVectors.runFake(c, k.keys());
      assertEquals(2, k.hmac().calls.get()); // OPRF seed + fake-record seed
      assertEquals(2, k.fleet().calls.get());
      assertEquals(2, k.ake().calls.get());
    } else {
      OpaqueVectors.runReal(c, k.keys());
      assertEquals(3, k.hmac().calls.get()); // 2 OPRF seeds + the login's fake-record seed
      assertEquals(4, k.fleet().calls.get());
      assertEquals(2, k.ake().calls.get());
    }
  }

  @Test
  void roundTripsWithTokenGeneratedKeys() throws Exception {
    String fleetId = "rt" + SEQ.incrementAndGet();
    token.keys().generateHmacKey(KeySpec.of("fleet/" + fleetId + "/oprf-seed", KeyUsage.SIGN));
    token.keys().generateEcP256(KeySpec.of("fleet/" + fleetId + "/oprf", KeyUsage.DERIVE));
    token.keys().generateEcP256(KeySpec.of("fleet/" + fleetId + "/ake", KeyUsage.DERIVE));
    HsmServerKeys keys = HsmServerKeys.open(token, fleetId);
    for (int i = 0; i < 15; i++) {
      LoginFlows.assertRoundTrip(keys, rng);
    }
  }

  @Test
  void concurrentLoginsShareOneTokenSafely() throws Exception {
    String fleetId = "mt" + SEQ.incrementAndGet();
    token.keys().generateHmacKey(KeySpec.of("fleet/" + fleetId + "/oprf-seed", KeyUsage.SIGN));
    token.keys().generateEcP256(KeySpec.of("fleet/" + fleetId + "/oprf", KeyUsage.DERIVE));
    token.keys().generateEcP256(KeySpec.of("fleet/" + fleetId + "/ake", KeyUsage.DERIVE));
    HsmServerKeys keys = HsmServerKeys.open(token, fleetId);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        futures.add(pool.submit(() -> {
          SecureRandom r = new SecureRandom();
          for (int i = 0; i < 5; i++) {
            LoginFlows.assertRoundTrip(keys, r);
          }
          return null;
        }));
      }
      for (java.util.concurrent.Future<?> f : futures) {
        f.get(120, java.util.concurrent.TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void randomImportedFleetKeyRoundTrips() throws Exception {
    Scalar kFleet = Scalar.random(rng);
    EcPrivateKey fleet = token.keys().importEcP256(KeySpec.of(label("oprf"), KeyUsage.DERIVE),
        kFleet.encode(), pub(P256.multiplyGenerator(kFleet)));
    HmacKey seed = token.keys().generateHmacKey(KeySpec.of(label("seed"), KeyUsage.SIGN));
    EcPrivateKey ake = token.keys().generateEcP256(KeySpec.of(label("ake"), KeyUsage.DERIVE));
    HsmServerKeys keys = HsmServerKeys.fromToken(seed, fleet, ake);
    for (int i = 0; i < 5; i++) {
      LoginFlows.assertRoundTrip(keys, rng);
    }
  }

  @Test
  void invalidInputPointsNeverReachTheHsm() throws Exception {
    EcPrivateKey akeKey = token.keys().generateEcP256(KeySpec.of(label("ake"), KeyUsage.DERIVE));
    Counted k = counted(
        token.keys().generateHmacKey(KeySpec.of(label("seed"), KeyUsage.SIGN)),
        token.keys().generateEcP256(KeySpec.of(label("oprf"), KeyUsage.DERIVE)), akeKey);
    byte[] ke1 = ClientLogin.start(LoginFlows.SUITE, "pw".getBytes(), rng).ke1().toBytes();
    int rejected = 0;
    for (byte[] bad : MessageCorruptions.invalidKe1s(ke1)) {
      assertThrows(BadInputException.class, () -> Ke1.parse(bad));
      rejected++;
    }
    for (byte[] bad : MessageCorruptions.invalidPoints()) {
      assertThrows(BadInputException.class, () -> RegistrationRequest.parse(bad));
      rejected++;
    }
    assertTrue(rejected > 30, "rejected " + rejected);
    assertEquals(0, k.total());
    // B = −G (where B + G is the identity) is answered from the public key alone.
    assertEquals(Pkcs11Primitives.publicKey(akeKey).negate(),
        k.keys().dh(P256.generator().negate()));
    assertEquals(0, k.total());
    // A valid KE1 does reach it: one HMAC, two ECDH per recovered point.
    ServerLogin.start(LoginFlows.SUITE, k.keys(), "u".getBytes(), null, Ke1.parse(ke1),
        Identities.NONE, rng);
    assertEquals(2, k.hmac().calls.get()); // fake-record seed + OPRF seed
    assertEquals(2, k.fleet().calls.get());
    assertEquals(2, k.ake().calls.get());
  }

  @Test
  void publicKeyThatDoesNotMatchIsDetected() throws Exception {
    Scalar k = Scalar.random(rng);
    Point wrongPublic = P256.multiplyGenerator(Scalar.random(rng));
    EcPrivateKey fleet = token.keys().importEcP256(KeySpec.of(label("oprf"), KeyUsage.DERIVE),
        k.encode(), pub(wrongPublic));
    HmacKey seed = token.keys().generateHmacKey(KeySpec.of(label("seed"), KeyUsage.SIGN));
    EcPrivateKey ake = token.keys().generateEcP256(KeySpec.of(label("ake"), KeyUsage.DERIVE));
    assertThrows(InternalFaultException.class, () -> HsmServerKeys.fromToken(seed, fleet, ake));
    HsmServerKeys unchecked = new HsmServerKeys(Pkcs11Primitives.hmac(seed),
        Pkcs11Primitives.ecdh(fleet), wrongPublic, Pkcs11Primitives.ecdh(ake),
        Pkcs11Primitives.publicKey(ake));
    assertThrows(InternalFaultException.class,
        () -> unchecked.evaluate("u".getBytes(), P256.multiplyGenerator(Scalar.random(rng))));
  }
}
