package dev.bkv.bundle;

import java.util.List;

/**
 * What {@link LogAuditor} found for one epoch of a cosigner's log.
 *
 * @param bundleHash hex SHA-256 of the bundle text
 * @param changes how the fleet keys changed from the previous epoch, one line each
 * @param checks what was verified for this epoch
 * @param problems what failed (empty when the epoch is fine)
 * @param retired {@code "at <time> (leaf <i>)"} when a retirement of this epoch is logged, else
 *     null
 */
public record EpochReport(long epoch, String fleetId, String bundleHash, String notBefore,
    String notAfter, String akeKey, List<String> members, List<String> changes,
    List<String> checks, List<String> problems, String retired) {

  public EpochReport {
    members = List.copyOf(members);
    changes = List.copyOf(changes);
    checks = List.copyOf(checks);
    problems = List.copyOf(problems);
  }

  /** This report with the epoch's retirement. */
  public EpochReport withRetired(String at) {
    return new EpochReport(epoch, fleetId, bundleHash, notBefore, notAfter, akeKey, members,
        changes, checks, problems, at);
  }

  public boolean ok() {
    return problems.isEmpty();
  }
}
