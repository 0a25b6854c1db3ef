package dev.bkv.node.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one adversarial run ({@link Adversary}) did and found. {@link #render} is the text that
 * {@code scripts/adversary} prints and docs/security.md quotes: keep its lines as they are.
 * Counters are written by the run's threads; the maps and the violations are guarded by
 * themselves.
 */
final class AdversaryReport {
  final long seed;
  final int members;
  final String network;
  int rounds;
  final Map<String, Integer> faults = new TreeMap<>();
  final Map<String, Integer> outcomes = new TreeMap<>();
  final List<String> violations = new ArrayList<>();
  final Map<String, String> perUser = new TreeMap<>();
  int registrationsAcknowledged;
  int registrationsUnacknowledgedButStored;
  int attackersLocked;
  int honestLockedByFailedLogins;
  long committedNotEvaluated;
  int windowsMeasured;
  int windowsUnmeasured;
  long evaluations;
  int maxWindow;
  long millis;
  int secretsScanned;
  long logBytesScanned;
  int tokenKeysChecked;

  AdversaryReport(long seed, int members, String network) {
    this.seed = seed;
    this.members = members;
    this.network = network;
  }

  void count(Map<String, Integer> m, String k) {
    synchronized (m) {
      m.merge(k, 1, Integer::sum);
    }
  }

  /** A breach of an invariant, tagged with the run's seed. */
  void violation(String v) {
    harnessFailure("seed " + seed + ": " + v);
  }

  /** Something the harness itself could not do (reported as a violation, untagged). */
  void harnessFailure(String v) {
    synchronized (violations) {
      violations.add(v);
    }
  }

  String render() {
    StringBuilder b = new StringBuilder();
    b.append("bkv adversarial run\n");
    b.append("seed ").append(seed).append(", members ").append(members).append(", rounds ")
        .append(rounds).append(", ").append(millis / 1000).append(" s\n");
    b.append("partitions: ").append(network).append('\n');
    b.append("attempt limit ").append(Adversary.LIMIT).append("; members delay ")
        .append(Adversary.DELAY_AFTER_ATTEMPT_MS).append(" ms between committing an attempt "
            + "and evaluating it\n");
    b.append("faults injected:\n");
    faults.forEach((k, v) -> b.append(String.format("  %-40s %6d%n", k, v)));
    b.append("client outcomes under faults:\n");
    outcomes.forEach((k, v) -> b.append(String.format("  %-40s %6d%n", k, v)));
    b.append("registrations acknowledged: ").append(registrationsAcknowledged)
        .append("; unacknowledged but stored: ").append(registrationsUnacknowledgedButStored)
        .append('\n');
    b.append("attacker targets locked: ").append(attackersLocked)
        .append("; honest users locked after failed logins: ")
        .append(honestLockedByFailedLogins).append('\n');
    b.append("HSM login evaluations: ").append(evaluations)
        .append("; most evaluations between two successes for any user: ").append(maxWindow)
        .append(" (limit ").append(Adversary.LIMIT).append(")\n");
    b.append("attempts committed but never evaluated (fault between commit and HSM): ")
        .append(committedNotEvaluated).append(" (over ").append(windowsMeasured)
        .append(" closed windows measured; ").append(windowsUnmeasured)
        .append(" not measurable)\n");
    b.append("per user (evaluations total / most in one window / limit / fate):\n");
    perUser.forEach((k, v) -> b.append("  ").append(k).append(": ").append(v).append('\n'));
    b.append("member logs scanned for the passwords and backup keys of ").append(secretsScanned)
        .append(" users: ").append(logBytesScanned).append(" bytes\n");
    b.append("token keys checked non-extractable and sensitive after the run: ")
        .append(tokenKeysChecked).append('\n');
    b.append("violations: ").append(violations.size()).append('\n');
    violations.forEach(v -> b.append("  ").append(v).append('\n'));
    return b.toString();
  }
}
