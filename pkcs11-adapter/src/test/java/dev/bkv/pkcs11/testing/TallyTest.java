package dev.bkv.pkcs11.testing;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The Wycheproof tally fails on every kind of mismatch and passes when bkv agrees. */
class TallyTest {
  private static WycheproofCase c(int id, String result) {
    return new WycheproofCase(id, "case " + id, result, Set.of(),
        JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.objectNode());
  }

  private static Tally tally() {
    return new Tally("test.json", "TallyTest");
  }

  @Test
  void anAcceptedInvalidCaseFailsWhateverTheOutput() {
    for (boolean outputMatches : new boolean[] {true, false}) {
      Tally t = tally();
      t.accepted(c(1, "invalid"), outputMatches);
      AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> t.finish(1));
      assertTrue(e.getMessage().contains("tcId 1 (invalid") && e.getMessage()
          .contains("invalid case accepted"), e.getMessage());
    }
  }

  @Test
  void anInvalidCaseWithAYesVerdictFails() {
    Tally t = tally();
    t.verdict(c(2, "invalid"), true);
    assertThrows(AssertionFailedError.class, () -> t.finish(1));
  }

  @Test
  void aRejectedValidCaseFails() {
    Tally t = tally();
    t.rejected(c(3, "valid"));
    AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> t.finish(1));
    assertTrue(e.getMessage().contains("valid case rejected"), e.getMessage());
  }

  @Test
  void aValidCaseWithAWrongOutputFails() {
    Tally t = tally();
    t.accepted(c(4, "valid"), false);
    assertThrows(AssertionFailedError.class, () -> t.finish(1));
  }

  @Test
  void anAcceptedAcceptableCaseWithAWrongOutputFails() {
    Tally t = tally();
    t.accepted(c(5, "acceptable"), false);
    assertThrows(AssertionFailedError.class, () -> t.finish(1));
  }

  @Test
  void anUnknownResultFails() {
    Tally t = tally();
    t.rejected(c(6, "maybe"));
    assertThrows(AssertionFailedError.class, () -> t.finish(1));
  }

  @Test
  void aCaseNotCountedFails() {
    Tally t = tally();
    t.accepted(c(7, "valid"), true);
    assertThrows(AssertionFailedError.class, () -> t.finish(2));
  }

  @Test
  void agreementPassesAndAcceptableCasesAreCountedBothWays() {
    Tally t = tally();
    t.accepted(c(10, "valid"), true);
    t.verdict(c(11, "valid"), true);
    t.rejected(c(12, "invalid"));
    t.verdict(c(13, "invalid"), false);
    t.accepted(c(14, "acceptable"), true);
    t.rejected(c(15, "acceptable"));
    t.rejected(c(16, "acceptable"));
    t.notApplicable(c(17, "valid"), "192-bit key");
    assertDoesNotThrow(() -> t.finish(8));
    assertEquals(3, t.accepted());
    assertEquals(4, t.rejected());
    assertEquals(1, t.acceptableAccepted());
    assertEquals(2, t.acceptableRejected());
    assertEquals(1, t.notApplicableCount());
    assertTrue(t.mismatches().isEmpty());
    assertTrue(t.report(8).contains("acceptable 3 (accepted 1, rejected 2)"), t.report(8));
    assertTrue(t.report(8).contains("not applicable: 1 x 192-bit key"), t.report(8));
  }
}
