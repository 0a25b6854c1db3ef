package dev.bkv.node.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.ec.P256;
import dev.bkv.ec.Point;
import dev.bkv.ec.Scalar;
import dev.bkv.evidence.ShareLayout;
import dev.bkv.node.store.KeyShares;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.testing.SoftHsmTokens;
import dev.bkv.recovery.InternalFaultException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Per-user OPRF key shares on three real SoftHSM2 tokens of a development fleet: a share made
 * by one holder evaluates identically on every other holder, a member that does not hold a set
 * cannot evaluate it, and the summed key is consistent with the summed public points.
 */
class ShareKeysTest {
  static final SecureRandom RNG = new SecureRandom();
  static final ShareLayout LAYOUT = new ShareLayout("f1", List.of("m1", "m2", "m3"));
  static final Map<String, Pkcs11Token> TOKENS = new LinkedHashMap<>();
  static final Map<String, ShareKeys> KEYS = new LinkedHashMap<>();

  @BeforeAll
  static void open() throws Exception {
    DevFleetKeys.Secrets secrets = DevFleetKeys.Secrets.generate(RNG);
    for (String m : LAYOUT.members()) {
      Pkcs11Token t = Pkcs11Token.open(SoftHsmTokens.create("shares-" + m));
      assertEquals(2, DevFleetKeys.importShareKeys(t, LAYOUT, m, secrets));
      TOKENS.put(m, t);
      KEYS.put(m, ShareKeys.open(t, LAYOUT, m));
    }
  }

  @AfterAll
  static void close() {
    TOKENS.values().forEach(Pkcs11Token::close);
  }

  private static Point randomPoint() {
    return P256.multiplyGenerator(Scalar.random(RNG));
  }

  @Test
  void everyHolderOfASetEvaluatesItsSharesAlike() throws Exception {
    Point b = randomPoint();
    for (ShareLayout.ShareSet set : LAYOUT.sets()) {
      List<String> holders = LAYOUT.members().stream().filter(set::heldBy).toList();
      KeyShares.Share share = KEYS.get(holders.get(0)).generate(set.name());
      Point first = KEYS.get(holders.get(0)).evaluate(share, b);
      for (String h : holders) {
        assertEquals(first, KEYS.get(h).evaluate(share, b), set.name() + " on " + h);
      }
      // r·G is the share's public point.
      assertEquals(P256.decodePoint(share.publicKey()),
          KEYS.get(holders.get(1)).evaluate(share, P256.generator()));
      assertEquals(P256.decodePoint(share.publicKey()).negate(),
          KEYS.get(holders.get(1)).evaluate(share, P256.generator().negate()));
      String outsider = set.excluded().get(0);
      InternalFaultException e = assertThrows(InternalFaultException.class,
          () -> KEYS.get(outsider).evaluate(share, b));
      assertTrue(e.getMessage().contains("does not hold the wrap key of share set "
          + set.name()), e.getMessage());
    }
  }

  /** k = Σ r_A: the evaluations add up to a key whose public point is the sum of the shares'. */
  @Test
  void theSummedEvaluationIsThatOfTheSummedKey() throws Exception {
    List<KeyShares.Share> shares = new ArrayList<>();
    for (ShareLayout.ShareSet set : LAYOUT.sets()) {
      String generator = LAYOUT.members().stream().filter(set::heldBy).findFirst().orElseThrow();
      shares.add(KEYS.get(generator).generate(set.name()));
    }
    Point publicSum = null;
    for (KeyShares.Share s : shares) {
      Point p = P256.decodePoint(s.publicKey());
      publicSum = publicSum == null ? p : publicSum.add(p).orElseThrow();
    }
    // Two members together evaluate every share; m1 holds m2's and m3's sets, m2 holds m1's.
    List<KeyShares.Share> byM1 = shares.stream().filter(s -> !s.set().equals("m1")).toList();
    List<KeyShares.Share> byM2 = shares.stream().filter(s -> s.set().equals("m1")).toList();
    Point atG = KEYS.get("m1").evaluateAll(byM1, P256.generator())
        .add(KEYS.get("m2").evaluateAll(byM2, P256.generator())).orElseThrow();
    assertEquals(publicSum, atG);
    Scalar s = Scalar.random(RNG);
    Point b = P256.multiplyGenerator(s);
    Point atB = KEYS.get("m1").evaluateAll(byM1, b)
        .add(KEYS.get("m2").evaluateAll(byM2, b)).orElseThrow();
    assertEquals(publicSum.multiply(s), atB, "k·(s·G) = s·(k·G)");
  }

  @Test
  void sharesAreIndependentFromUserToUser() throws Exception {
    KeyShares.Share a = KEYS.get("m1").generate("m2");
    KeyShares.Share b = KEYS.get("m1").generate("m2");
    assertNotEquals(P256.decodePoint(a.publicKey()), P256.decodePoint(b.publicKey()));
  }

  @Test
  void aTokenWithoutItsWrapKeysIsRefusedByName() throws Exception {
    Pkcs11Token bare = Pkcs11Token.open(SoftHsmTokens.create("shares-bare"));
    try {
      InternalFaultException e = assertThrows(InternalFaultException.class,
          () -> ShareKeys.open(bare, LAYOUT, "m2"));
      assertTrue(e.getMessage().contains("lacks the share wrap keys [fleet/f1/oprf-share/m1, "
          + "fleet/f1/oprf-share/m3]"), e.getMessage());
    } finally {
      bare.close();
    }
  }
}
