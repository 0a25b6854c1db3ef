package dev.bkv.ceremony;

import dev.bkv.pkcs11.HsmException;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.check.Capability;
import dev.bkv.pkcs11.check.CheckReport;
import dev.bkv.pkcs11.check.Finding;
import dev.bkv.pkcs11.check.Role;
import dev.bkv.pkcs11.check.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * The preflight every ceremony step runs on its token (the check of {@code bkv token check}):
 * a token that cannot host the step's role is refused before anything is created, and every
 * fallback the role relies on becomes a {@code fallback} step of the transcript, so the
 * deployment evidence shows auditors what was used instead.
 */
final class Fallbacks {
  private Fallbacks() {}

  /** Checks {@code token} for {@code role}; records its fallbacks in {@code t}. */
  static void require(Pkcs11Token token, Role role, Transcript t)
      throws HsmException, CeremonyException {
    CheckReport report = token.check();
    String refusal = report.refusal(role).orElse(null);
    if (refusal != null) {
      throw new CeremonyException(refusal);
    }
    String label = token.info().label();
    for (String line : lines(report, role)) {
      t.add("fallback", label, line);
    }
  }

  /**
   * One line per fallback that matters to {@code role}: the capabilities it needs, and
   * {@code CKA_LOCAL}, which the evidence's inventory shows.
   */
  static List<String> lines(CheckReport report, Role role) {
    List<String> out = new ArrayList<>();
    for (Finding f : report.findings()) {
      boolean relevant = f.capability().neededBy(role) || f.capability() == Capability.LOCAL;
      if (relevant && f.status() == Status.FALLBACK) {
        out.add(role.id() + " " + f.capability().title() + ": " + f.detail() + "; bkv uses "
            + f.fallback());
      }
    }
    return out;
  }
}
