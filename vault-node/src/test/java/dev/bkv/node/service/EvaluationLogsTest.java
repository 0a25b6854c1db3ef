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
      EvaluationLogs.parse(m, l, "log:" + (++n), "m1");
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
  void anAttemptNumberBeyondTheLimitIsAViolation() {
    var m = of("login aa 1 1/2", "login aa 2 2/2", "login aa 3 3/2", "success aa 4");
    List<String> v = EvaluationLogs.violations(m);
    assertEquals(2, v.size(), v.toString());
    assertTrue(v.get(0).contains("attempt 3 outside 1..2"), v.get(0));
    assertTrue(v.get(1).contains("3 evaluations between two resets; limit 2"), v.get(1));
  }

  /**
   * Adversarial seed 195031428020823, round 487: m2 evaluated attempt 1 at index 23405, ran
   * KE3's reset and was SIGKILLed before writing its success line; the next login (m1, 23455)
   * was attempt 1 again. The restart of the attempt number is the reset the log lacks, so the
   * two evaluations sit in separate windows, as the replicated record says.
   */
  @Test
  void aSuccessLineLostInACrashIsInferredFromTheAttemptNumberRestarting() {
    var m = of("login u 23400 1/10", "success u 23402", "login u 23405 1/10",
        "login u 23455 1/10", "success u 23457");
    var w = m.get("u").windows();
    assertEquals(List.of(1, 1, 1), w.stream().map(EvaluationLogs.Window::evaluations).toList());
    assertTrue(w.stream().allMatch(EvaluationLogs.Window::closed), w.toString());
    assertEquals(1, m.get("u").maxWindow());
    assertEquals(0, m.get("u").openWindow());
    assertTrue(EvaluationLogs.violations(m).isEmpty());
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

  /** Peers' partials name the serving member's attempts; only one without it adds a count. */
  @Test
  void partialsCountOncePerAttemptAndTwiceFromOneMemberIsAViolation() {
    Map<String, EvaluationLogs.History> h = of("login u 5 1/3", "partial login u 5 1",
        "partial login u 7 1", "login u 9 3/3", "partial registration u 2 1");
    assertEquals(3, h.get("u").maxWindow(), "5, 7 (a partial alone) and 9");
    assertTrue(EvaluationLogs.violations(h).isEmpty());
    Map<String, EvaluationLogs.History> over = of("login u 5 1/2", "partial login u 6 1",
        "login u 7 2/2");
    assertEquals(1, EvaluationLogs.violations(over).size(), "3 evaluations, limit 2");
    Map<String, EvaluationLogs.History> twice = of("partial login u 5 1", "partial login u 5 1");
    assertTrue(EvaluationLogs.violations(twice).get(0).contains("answered twice by one member"));
  }
}
