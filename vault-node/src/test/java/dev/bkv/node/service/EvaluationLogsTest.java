package dev.bkv.node.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checker the adversarial test relies on must itself catch what it claims to catch. */
class EvaluationLogsTest {
  private static Map<String, EvaluationLogs.History> of(String... lines) {
    Map<String, EvaluationLogs.History> m = new HashMap<>();
    int n = 0;
    for (String l : lines) {
      EvaluationLogs.parse(m, l, "log:" + (++n));
    }
    return m;
  }

  @Test
  void windowsAreSplitBySuccessesInLogIndexOrderAcrossMembers() {
    // Lines from two members interleave out of order; the log index orders them.
    var m = of("login aa 12 3/3", "login aa 10 1/3", "success aa 13", "login aa 11 2/3",
        "login aa 20 1/3", "login aa 21 2/3");
    var h = m.get("aa");
    assertEquals(3, h.maxWindow());
    assertEquals(2, h.openWindow());
    assertEquals(5, h.logins);
    assertTrue(EvaluationLogs.violations(m).isEmpty());
  }

  @Test
  void moreEvaluationsThanTheLimitBetweenSuccessesIsAViolation() {
    var m = of("login aa 1 1/2", "login aa 2 2/2", "login aa 3 2/2", "success aa 4");
    List<String> v = EvaluationLogs.violations(m);
    assertEquals(1, v.size(), v.toString());
    assertTrue(v.get(0).contains("3 evaluations between two successes; limit 2"), v.get(0));
  }

  @Test
  void anAttemptEvaluatedTwiceIsAViolation() {
    var m = of("login aa 5 1/10", "login aa 5 1/10");
    List<String> v = EvaluationLogs.violations(m);
    assertEquals(1, v.size(), v.toString());
    assertTrue(v.get(0).contains("index 5 logged twice"), v.get(0));
  }

  @Test
  void malformedLinesAreRefused() {
    assertThrows(IllegalStateException.class, () -> of("login aa 5"));
    assertThrows(IllegalStateException.class, () -> of("eval aa 5 1/10"));
  }
}
