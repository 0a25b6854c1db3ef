package dev.bkv.opaque;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bkv.ec.Scalar;
import dev.bkv.opaque.internal.ClientOprf;
import dev.bkv.oprf.Oprf;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 9807 Appendix C P-256 vectors through {@link SoftwareServerKeys}. */
class Rfc9807VectorsTest {
  static List<OpaqueVectors.Case> real() {
    return OpaqueVectors.real();
  }

  static List<OpaqueVectors.Case> fake() {
    return OpaqueVectors.fake();
  }

  @Test
  void twoRealAndOneFakeVector() {
    assertEquals(2, real().size());
    assertEquals(1, fake().size());
  }

  @ParameterizedTest
  @MethodSource("real")
  void realVectorByteForByte(OpaqueVectors.Case c) throws Exception {
    OpaqueVectors.runReal(c, new SoftwareServerKeys(c.oprfSeed(), c.serverPrivateKey()));
  }

  @ParameterizedTest
  @MethodSource("real")
  void intermediatesMatch(OpaqueVectors.Case c) throws Exception {
    SoftwareServerKeys keys = new SoftwareServerKeys(c.oprfSeed(), c.serverPrivateKey());
    byte[] credId = c.in("credential_identifier");
    assertArrayEquals(c.mid("oprf_key"), keys.oprfKey(credId).encode());
    Scalar blind = Scalar.decodeNonZero(c.in("blind_registration"));
    Oprf.Blinded b = Oprf.blind(c.in("password"), blind);
    byte[] rwd = ClientOprf.randomizedPassword(Ksf.IDENTITY, c.in("password"), blind,
        keys.evaluate(credId, b.blindedElement()));
    assertArrayEquals(c.mid("randomized_password"), rwd);
  }

  @ParameterizedTest
  @MethodSource("fake")
  void fakeVectorByteForByte(OpaqueVectors.Case c) throws Exception {
    OpaqueVectors.runFake(c, new SoftwareServerKeys(c.oprfSeed(), c.serverPrivateKey()));
  }
}
