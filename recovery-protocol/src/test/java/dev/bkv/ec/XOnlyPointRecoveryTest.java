package dev.bkv.ec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.recovery.InternalFaultException;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class XOnlyPointRecoveryTest {
  private final SecureRandom rng = new SecureRandom();

  /** A software x-only ECDH oracle, as CKM_ECDH1_DERIVE would answer. */
  static XOnlyEcdh software(Scalar k) {
    return peer -> peer.multiply(k).x();
  }

  @Test
  void randomPointsAndKeys() throws Exception {
    for (int i = 0; i < 200; i++) {
      Scalar k = Scalar.random(rng);
      Point b = P256.multiplyGenerator(Scalar.random(rng));
      XOnlyPointRecovery r = new XOnlyPointRecovery(software(k), P256.multiplyGenerator(k));
      assertEquals(b.multiply(k), r.multiply(b));
      assertEquals(b.negate().multiply(k), r.multiply(b.negate()));
    }
  }

  @Test
  void minusGeneratorIsAnsweredWithoutTheOracle() throws Exception {
    Scalar k = Scalar.random(rng);
    AtomicInteger calls = new AtomicInteger();
    XOnlyEcdh counting = peer -> {
      calls.incrementAndGet();
      return peer.multiply(k).x();
    };
    XOnlyPointRecovery r = new XOnlyPointRecovery(counting, P256.multiplyGenerator(k));
    Point minusG = P256.generator().negate();
    assertEquals(P256.multiplyGenerator(k).negate(), r.multiply(minusG));
    assertEquals(0, calls.get());
    r.multiply(P256.generator());
    assertEquals(2, calls.get());
  }

  @Test
  void generatorGivesThePublicKey() throws Exception {
    Scalar k = Scalar.random(rng);
    Point pub = P256.multiplyGenerator(k);
    XOnlyPointRecovery r = new XOnlyPointRecovery(software(k), pub);
    assertEquals(pub, r.multiply(P256.generator()));
  }

  @Test
  void keyOneIsTheIdentityMap() throws Exception {
    XOnlyPointRecovery r = new XOnlyPointRecovery(software(Scalar.one()), P256.generator());
    for (int i = 0; i < 20; i++) {
      Point b = P256.multiplyGenerator(Scalar.random(rng));
      assertEquals(b, r.multiply(b));
    }
    assertEquals(P256.generator(), r.multiply(P256.generator()));
    assertEquals(P256.generator().negate(), r.multiply(P256.generator().negate()));
  }

  @Test
  void faultyOracleIsDetected() {
    Scalar k = Scalar.random(rng);
    Scalar wrong = Scalar.random(rng);
    Point pub = P256.multiplyGenerator(k);
    Point b = P256.multiplyGenerator(Scalar.random(rng));
    // A different key: the second answer is inconsistent with K.
    assertThrows(InternalFaultException.class,
        () -> new XOnlyPointRecovery(software(wrong), pub).multiply(b));
    // Right first answer, wrong second answer.
    XOnlyEcdh secondWrong = new XOnlyEcdh() {
      int n;

      @Override
      public byte[] x(Point peer) {
        return (n++ == 0 ? peer.multiply(k) : peer.multiply(wrong)).x();
      }
    };
    assertThrows(InternalFaultException.class,
        () -> new XOnlyPointRecovery(secondWrong, pub).multiply(b));
    // An x that is not on the curve at all (x = 5 has no point on P-256? use a checked one).
    XOnlyEcdh garbage = peer -> notOnCurveX();
    InternalFaultException e = assertThrows(InternalFaultException.class,
        () -> new XOnlyPointRecovery(garbage, pub).multiply(b));
    assertTrue(e.getMessage().contains("not on P-256"), e.getMessage());
    XOnlyEcdh shortAnswer = peer -> new byte[31];
    assertThrows(InternalFaultException.class,
        () -> new XOnlyPointRecovery(shortAnswer, pub).multiply(b));
    // A bit flip in a correct x.
    XOnlyEcdh flipped = peer -> {
      byte[] x = peer.multiply(k).x();
      x[31] ^= 1;
      return x;
    };
    assertThrows(InternalFaultException.class,
        () -> new XOnlyPointRecovery(flipped, pub).multiply(b));
  }

  /** Smallest x ≥ 0 that is not the x-coordinate of a P-256 point. */
  static byte[] notOnCurveX() {
    for (int v = 0; ; v++) {
      byte[] x = new byte[32];
      x[31] = (byte) v;
      try {
        P256.fromX(x, false);
      } catch (dev.bkv.recovery.BadInputException e) {
        return x;
      }
    }
  }
}
