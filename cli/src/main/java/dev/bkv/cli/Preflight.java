package dev.bkv.cli;

import dev.bkv.pkcs11.HsmException;
import dev.bkv.pkcs11.Pkcs11Config;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.check.CheckReport;
import dev.bkv.pkcs11.check.Role;

/**
 * The {@code bkv token check} preflight that the ceremony steps and {@code bkv node run} run
 * before touching anything: a token that cannot host the role is refused at once, with the same
 * one line {@code bkv token check} ends with (exit 1), instead of failing several steps in.
 */
public final class Preflight {
  private Preflight() {}

  /** Runs the check on {@code token}; throws naming the missing pieces if {@code role} cannot be hosted. */
  public static CheckReport require(Pkcs11Token token, Role role) throws CliException {
    CheckReport report = token.check();
    if (!report.canHost(role)) {
      throw new CliException(ExitCodes.CHECK_FAILED, report.refusal(role).orElseThrow());
    }
    return report;
  }

  /** Opens the token of {@code config} just for the check, then closes it. */
  public static CheckReport require(Pkcs11Config config, Role role) throws CliException, HsmException {
    try (Pkcs11Token t = Pkcs11Token.open(config)) {
      return require(t, role);
    }
  }
}
