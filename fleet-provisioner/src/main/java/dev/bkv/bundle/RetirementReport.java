package dev.bkv.bundle;

import java.util.List;

/**
 * What {@link LogAuditor} found for one retirement entry of a cosigner's log.
 *
 * @param leaf the entry's leaf index
 * @param statementHash hex SHA-256 of the operator's statement payload
 * @param records the records left when the epoch was retired
 * @param time when the operator signed the statement
 */
public record RetirementReport(long epoch, long leaf, String fleetId, String bundleHash,
    String statementHash, long records, String time, List<String> checks, List<String> problems) {

  public RetirementReport {
    checks = List.copyOf(checks);
    problems = List.copyOf(problems);
  }

  public boolean ok() {
    return problems.isEmpty();
  }
}
