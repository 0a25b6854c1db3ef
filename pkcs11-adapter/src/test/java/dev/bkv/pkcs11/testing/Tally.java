package dev.bkv.pkcs11.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts the outcome of every case of one Wycheproof file through one bkv path: accepted,
 * rejected, not applicable (with the reason) and mismatches (valid rejected, invalid accepted,
 * wrong output). {@link #finish} prints the totals and asserts zero mismatches and that every
 * case of the file was counted exactly once.
 */
public final class Tally {
  private final String file;
  private final String path;
  private int accepted;
  private int rejected;
  private int expectedAccept;
  private int expectedReject;
  private int acceptableSeen;
  private final Map<String, Integer> notApplicable = new TreeMap<>();
  private final List<String> mismatches = new ArrayList<>();

  public Tally(String file, String path) {
    this.file = file;
    this.path = path;
  }

  /**
   * Records one case run through bkv. {@code result} is Wycheproof's valid/invalid/acceptable;
   * an acceptable case may go either way but a wrong output is still a mismatch.
   */
  public void record(WycheproofCase c, boolean bkvAccepted, boolean outputCorrect) {
    if (bkvAccepted) {
      accepted++;
    } else {
      rejected++;
    }
    switch (c.result()) {
      case "valid" -> {
        expectedAccept++;
        if (!bkvAccepted || !outputCorrect) {
          mismatches.add(c + (bkvAccepted ? ": wrong output" : ": valid case rejected"));
        }
      }
      case "invalid" -> {
        expectedReject++;
        if (bkvAccepted && outputCorrect) {
          mismatches.add(c + ": invalid case accepted");
        }
      }
      case "acceptable" -> {
        acceptableSeen++;
        if (bkvAccepted && !outputCorrect) {
          mismatches.add(c + ": acceptable case accepted with a wrong output");
        }
      }
      default -> mismatches.add(c + ": unknown result " + c.result());
    }
  }

  /** A case that cannot go through a bkv path; never counted as passed. */
  public void notApplicable(WycheproofCase c, String reason) {
    notApplicable.merge(reason, 1, Integer::sum);
  }

  public int accepted() {
    return accepted;
  }

  public int rejected() {
    return rejected;
  }

  public int notApplicableCount() {
    return notApplicable.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Prints the totals and fails on any mismatch or if not all {@code numberOfTests} were seen. */
  public void finish(int numberOfTests) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("Wycheproof %s via %s: %d cases; accepted %d, rejected %d; "
        + "expected accept %d, expected reject %d, acceptable %d; not applicable %d; "
        + "mismatches %d%n", file, path, numberOfTests, accepted, rejected, expectedAccept,
        expectedReject, acceptableSeen, notApplicableCount(), mismatches.size()));
    notApplicable.forEach((reason, n) ->
        sb.append(String.format("  not applicable: %d x %s%n", n, reason)));
    mismatches.forEach(m -> sb.append("  MISMATCH ").append(m).append('\n'));
    System.out.print(sb);
    assertEquals(numberOfTests, accepted + rejected + notApplicableCount(),
        "every case of " + file + " must be counted once");
    assertTrue(mismatches.isEmpty(), sb.toString());
  }
}
