package dev.bkv.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.evidence.ShareLayout.ShareSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShareLayoutTest {
  @ParameterizedTest
  @CsvSource({"1,1,1,1", "2,2,2,1", "3,2,3,2", "4,3,6,3", "5,3,10,6", "7,4,35,20"})
  void countsSetsAndHoldings(int n, int t, int sets, int perMember) {
    List<String> ids = new java.util.ArrayList<>();
    for (int i = n; i >= 1; i--) {
      ids.add("m" + i);
    }
    ShareLayout l = new ShareLayout("f1", ids);
    assertEquals(t, l.threshold());
    assertEquals(sets, l.sets().size());
    for (String m : l.members()) {
      assertEquals(perMember, l.heldBy(m).size(), m);
    }
  }

  /** Any t members hold every set between them; any t−1 miss exactly their own. */
  @Test
  void majorityOpensEverythingMinorityMissesItsOwnSet() {
    ShareLayout l = new ShareLayout("f1", List.of("a", "b", "c", "d", "e"));
    for (ShareSet minority : l.sets()) {
      Set<String> names = new HashSet<>();
      for (String m : minority.excluded()) {
        l.heldBy(m).forEach(s -> names.add(s.name()));
      }
      assertFalse(names.contains(minority.name()), minority.name());
      assertEquals(l.sets().size() - 1, names.size());
      for (String extra : l.members()) {
        if (minority.excluded().contains(extra)) {
          continue;
        }
        Set<String> withExtra = new HashSet<>(names);
        l.heldBy(extra).forEach(s -> withExtra.add(s.name()));
        assertEquals(l.sets().size(), withExtra.size());
      }
    }
  }

  @Test
  void namesAndLabels() {
    ShareLayout l = new ShareLayout("f1", List.of("m3", "m1", "m2"));
    assertEquals(List.of("m1", "m2", "m3"), l.members());
    assertEquals("fleet/f1/oprf-share/m2", l.label(l.set("m2")));
    assertTrue(l.set("m2").heldBy("m1"));
    assertFalse(l.set("m2").heldBy("m2"));
    assertEquals("-", new ShareLayout("f1", List.of("solo")).sets().get(0).name());
    ShareLayout five = new ShareLayout("f1", List.of("a", "b", "c", "d", "e"));
    assertEquals("a+b", five.sets().get(0).name());
  }

  @Test
  void refusesWhatCannotNameASet() {
    assertThrows(IllegalArgumentException.class, () -> new ShareLayout("f1", List.of("a+b")));
    assertThrows(IllegalArgumentException.class, () -> new ShareLayout("f1", List.of("a", "a")));
    assertThrows(IllegalArgumentException.class, () -> new ShareLayout("f1", List.of()));
    ShareLayout l = new ShareLayout("f1", List.of("a", "b", "c"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> l.set("z"));
    assertTrue(e.getMessage().contains("'z' is not a share set"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> l.heldBy("z"));
  }
}
