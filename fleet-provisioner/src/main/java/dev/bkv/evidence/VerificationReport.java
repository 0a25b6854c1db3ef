package dev.bkv.evidence;

import java.util.List;

/**
 * The outcome of checking evidence: what passed, what failed, and notes (e.g. attestation
 * formats this verifier does not check). Valid when {@code problems} is empty.
 */
public record VerificationReport(EvidencePayload payload, List<String> passed,
                                 List<String> problems, List<String> notes) {
  public VerificationReport {
    passed = List.copyOf(passed);
    problems = List.copyOf(problems);
    notes = List.copyOf(notes);
  }

  public boolean valid() {
    return problems.isEmpty();
  }

  /** Throws naming the first problem (and how many more) unless valid. */
  public VerificationReport requireValid() throws EvidenceVerificationException {
    if (!problems.isEmpty()) {
      throw new EvidenceVerificationException("evidence check failed: " + problems.get(0)
          + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problems)" : ""));
    }
    return this;
  }
}
