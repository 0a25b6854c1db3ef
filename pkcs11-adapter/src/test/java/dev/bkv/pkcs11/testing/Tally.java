package dev.bkv.pkcs11.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts the outcome of every case of one Wycheproof file through one bkv path and fails on a
 * mismatch. The rule, by Wycheproof result:
 * <ul>
 *   <li>{@code valid}: bkv must accept it with exactly the expected output;</li>
 *   <li>{@code invalid}: bkv must refuse it. Accepting it is a mismatch whatever the output, since
 *       an invalid case's expected output is empty or meaningless;</li>
 *   <li>{@code acceptable}: either way, counted and reported separately; if accepted, the output
 *       must still be the expected one.</li>
 * </ul>
 * A case that cannot go through the bkv path is {@link #notApplicable} with a reason the caller
 * has checked on the case itself (key size, a flag), never because the case failed.
 * {@link #finish} prints the totals and asserts zero mismatches and that every case of the file
 * was counted exactly once.
 */
public final class Tally {
  private final String file;
  private final String path;
  private int accepted;
  private int rejected;
  private int expectedAccept;
  private int expectedReject;
  private int acceptableAccepted;
  private int acceptableRejected;
  private final Map<String, Integer> notApplicable = new TreeMap<>();
  private final List<String> mismatches = new ArrayList<>();

  public Tally(String file, String path) {
    this.file = file;
    this.path = path;
  }

  /** bkv accepted the case; {@code outputMatches} is whether its output is the expected one. */
  public void accepted(WycheproofCase c, boolean outputMatches) {
    accepted++;
    switch (c.result()) {
      case "valid" -> {
        expectedAccept++;
        if (!outputMatches) {
          mismatches.add(c + ": valid case accepted with a wrong output");
        }
      }
      case "invalid" -> {
        expectedReject++;
        mismatches.add(c + ": invalid case accepted");
      }
      case "acceptable" -> {
        acceptableAccepted++;
        if (!outputMatches) {
          mismatches.add(c + ": acceptable case accepted with a wrong output");
        }
      }
      default -> mismatches.add(c + ": unknown result " + c.result());
    }
  }

  /** bkv refused the case (a typed exception or a {@code false} verdict). */
  public void rejected(WycheproofCase c) {
    rejected++;
    switch (c.result()) {
      case "valid" -> {
        expectedAccept++;
        mismatches.add(c + ": valid case rejected");
      }
      case "invalid" -> expectedReject++;
      case "acceptable" -> acceptableRejected++;
      default -> mismatches.add(c + ": unknown result " + c.result());
    }
  }

  /** For a yes/no verdict with no output (a MAC or signature check). */
  public void verdict(WycheproofCase c, boolean bkvAccepted) {
    if (bkvAccepted) {
      accepted(c, true);
    } else {
      rejected(c);
    }
  }

  /** A case that cannot go through the bkv path, for a reason checked on the case; never passed. */
  public void notApplicable(WycheproofCase c, String reason) {
    notApplicable.merge(reason, 1, Integer::sum);
  }

  public int accepted() {
    return accepted;
  }

  public int rejected() {
    return rejected;
  }

  public int acceptableAccepted() {
    return acceptableAccepted;
  }

  public int acceptableRejected() {
    return acceptableRejected;
  }

  public int notApplicableCount() {
    return notApplicable.values().stream().mapToInt(Integer::intValue).sum();
  }

  public List<String> mismatches() {
    return List.copyOf(mismatches);
  }

  /** The totals, the not-applicable reasons and every mismatch, one per line. */
  public String report(int numberOfTests) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("Wycheproof %s via %s: %d cases; accepted %d, rejected %d; "
        + "valid %d, invalid %d, acceptable %d (accepted %d, rejected %d); not applicable %d; "
        + "mismatches %d%n", file, path, numberOfTests, accepted, rejected, expectedAccept,
        expectedReject, acceptableAccepted + acceptableRejected, acceptableAccepted,
        acceptableRejected, notApplicableCount(), mismatches.size()));
    notApplicable.forEach((reason, n) ->
        sb.append(String.format("  not applicable: %d x %s%n", n, reason)));
    mismatches.forEach(m -> sb.append("  MISMATCH ").append(m).append('\n'));
    return sb.toString();
  }

  /** Prints the totals and fails on any mismatch or if not all {@code numberOfTests} were seen. */
  public void finish(int numberOfTests) {
    String report = report(numberOfTests);
    System.out.print(report);
    assertEquals(numberOfTests, accepted + rejected + notApplicableCount(),
        "every case of " + file + " must be counted once");
    assertTrue(mismatches.isEmpty(), report);
  }
}
