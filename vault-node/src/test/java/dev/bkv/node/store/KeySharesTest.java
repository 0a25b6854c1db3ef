package dev.bkv.node.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeySharesTest {
  /** {@code n} shares named m1..mn whose wrapped bytes depend on {@code seed}. */
  static KeyShares shares(int n, int seed) {
    List<KeyShares.Share> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      byte[] point = new byte[KeyShares.POINT_LENGTH];
      point[0] = 0x04;
      point[1] = (byte) i;
      byte[] wrapped = new byte[40];
      Arrays.fill(wrapped, (byte) seed);
      wrapped[0] = (byte) i;
      wrapped[1] = (byte) (seed >> 8);
      out.add(new KeyShares.Share("m" + i, point, wrapped));
    }
    return new KeyShares(out);
  }

  @Test
  void roundTripsAndRejectsEveryTruncation() throws Exception {
    KeyShares k = shares(3, 5);
    byte[] b = k.toBytes();
    assertEquals(k, KeyShares.parse(b));
    for (int len = 0; len < b.length; len++) {
      byte[] cut = Arrays.copyOf(b, len);
      assertThrows(MalformedMessageException.class, () -> KeyShares.parse(cut), "" + len);
    }
  }

  @Test
  void refusesRepeatedSetsAndRepeatedSummands() {
    KeyShares.Share a = shares(1, 1).shares().get(0);
    KeyShares.Share sameBytes = new KeyShares.Share("m2", a.publicKey(), a.wrapped());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new KeyShares(List.of(a, sameBytes)));
    assertTrue(e.getMessage().contains("repeats another wrapped summand"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new KeyShares(List.of(a, a)));
  }

  @Test
  void refusesBadFields() {
    byte[] point = new byte[65];
    point[0] = 4;
    assertThrows(IllegalArgumentException.class,
        () -> new KeyShares.Share("m1/x", point, new byte[40]));
    assertThrows(IllegalArgumentException.class,
        () -> new KeyShares.Share("m1", new byte[33], new byte[40]));
    assertThrows(IllegalArgumentException.class, () -> new KeyShares.Share("m1", point, new byte[8]));
    new KeyShares.Share("a+b", point, new byte[40]);
    new KeyShares.Share("-", point, new byte[40]);
  }

  @Test
  void digestsAreSixteenBytesOfSha256OfTheWrappedSummand() {
    KeyShares k = shares(2, 9);
    assertEquals(2, k.digests().size());
    assertEquals(KeyShares.DIGEST_LENGTH, k.digests().get(0).length);
  }
}
