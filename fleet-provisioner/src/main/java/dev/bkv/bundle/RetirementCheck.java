package dev.bkv.bundle;

/**
 * Checks the statement behind a {@link RetirementEntry}: the members' signed read-backs against
 * the identity keys of the retired epoch's bundle, and the operator's signature. The cosigner
 * runs it before logging a retirement; the auditor runs it on published statements.
 */
@FunctionalInterface
public interface RetirementCheck {

  /** Accepts nothing: used where no statement is at hand (the auditor reports that). */
  RetirementCheck NONE = (entry, retired) -> {
    throw new BundleRejectedException(BundleException.Reason.RETIREMENT_INVALID,
        "no retirement statement to check");
  };

  /**
   * Returns what was checked, one line; throws naming the first problem.
   *
   * @param retired the bundle of the retired epoch, as logged
   */
  String check(RetirementEntry entry, ValidationBundle retired) throws BundleException;
}
