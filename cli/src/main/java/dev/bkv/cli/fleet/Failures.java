package dev.bkv.cli.fleet;

import dev.bkv.ceremony.CeremonyException;
import dev.bkv.cli.CliException;
import dev.bkv.cli.ExitCodes;
import dev.bkv.evidence.EvidenceVerificationException;
import dev.bkv.evidence.MalformedEvidenceException;
import dev.bkv.pkcs11.HsmException;

/**
 * Exit codes for the ceremony and evidence errors (the CLI's {@code ErrorMapping} handles the
 * PKCS#11 and I/O ones): malformed input files 3, failed checks 1, a ceremony that failed on the
 * HSM 4 (otherwise 1), a bad option value 2.
 */
public final class Failures {
  private Failures() {}

  public static Exception map(Exception e) {
    if (e instanceof MalformedEvidenceException) {
      return new CliException(ExitCodes.BAD_INPUT, e.getMessage(), e);
    }
    if (e instanceof EvidenceVerificationException) {
      return new CliException(ExitCodes.CHECK_FAILED, e.getMessage(), e);
    }
    if (e instanceof CeremonyException) {
      int code = e.getCause() instanceof HsmException ? ExitCodes.HSM : ExitCodes.CHECK_FAILED;
      return new CliException(code, e.getMessage(), e);
    }
    if (e instanceof IllegalArgumentException) {
      return new CliException(ExitCodes.USAGE, e.getMessage(), e);
    }
    return e;
  }
}
