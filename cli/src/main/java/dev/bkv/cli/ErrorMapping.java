package dev.bkv.cli;

import dev.bkv.bundle.BundleException;
import dev.bkv.ceremony.CeremonyException;
import dev.bkv.client.LockedException;
import dev.bkv.client.RejectedException;
import dev.bkv.client.Rejection;
import dev.bkv.client.UnavailableException;
import dev.bkv.client.UntrustedFleetException;
import dev.bkv.client.WrongPasswordException;
import dev.bkv.evidence.EvidenceVerificationException;
import dev.bkv.evidence.MalformedEvidenceException;
import dev.bkv.node.NodeException;
import dev.bkv.node.raft.ConfigException;
import dev.bkv.node.tenant.TenantKeyException;
import dev.bkv.pkcs11.HsmAuthenticationException;
import dev.bkv.pkcs11.HsmConfigException;
import dev.bkv.pkcs11.HsmException;
import dev.bkv.pkcs11.HsmNotFoundException;
import dev.bkv.retirement.RetirementException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;

/**
 * The one place that maps the typed errors of bkv's modules to the CLI's documented exit codes
 * ({@link ExitCodes}, README.md "Exit codes") and to the one line reported for them. Commands
 * let these errors propagate; {@link ErrorHandler} reports them. A command that knows more than
 * the type (which option was wrong) throws a {@link CliException} with its own code.
 */
public final class ErrorMapping {
  private ErrorMapping() {}

  /** The exit code for {@code e}. */
  public static int exitCode(Throwable e) {
    if (e instanceof CliException c) {
      return c.exitCode();
    }
    // The client library (vault-client).
    if (e instanceof WrongPasswordException) {
      return ExitCodes.AUTHENTICATION;
    }
    if (e instanceof LockedException) {
      return ExitCodes.NOT_FOUND;
    }
    if (e instanceof UnavailableException) {
      return ExitCodes.UNAVAILABLE;
    }
    if (e instanceof UntrustedFleetException) {
      return ExitCodes.CHECK_FAILED;
    }
    if (e instanceof RejectedException r) {
      return exitCode(r.reason());
    }
    // Validation bundles, cosigner and transparency log (fleet-provisioner).
    if (e instanceof BundleException b) {
      return exitCode(b);
    }
    if (e instanceof dev.bkv.transparency.MalformedInputException) {
      return ExitCodes.BAD_INPUT;
    }
    // Ceremony and evidence (fleet-provisioner).
    if (e instanceof MalformedEvidenceException) {
      return ExitCodes.BAD_INPUT;
    }
    if (e instanceof EvidenceVerificationException) {
      return ExitCodes.CHECK_FAILED;
    }
    if (e instanceof RetirementException) {
      return ExitCodes.CHECK_FAILED;
    }
    if (e instanceof CeremonyException) {
      return hsmCause(e) ? ExitCodes.HSM : ExitCodes.CHECK_FAILED;
    }
    // The HSM (pkcs11-adapter).
    if (e instanceof HsmConfigException) {
      return ExitCodes.BAD_INPUT;
    }
    if (e instanceof HsmNotFoundException) {
      return ExitCodes.NOT_FOUND;
    }
    if (e instanceof HsmAuthenticationException) {
      return ExitCodes.AUTHENTICATION;
    }
    if (e instanceof HsmException) {
      return ExitCodes.HSM;
    }
    // A member (vault-node): its config, its tenant keys, its start.
    if (e instanceof ConfigException || e instanceof TenantKeyException) {
      return ExitCodes.BAD_INPUT;
    }
    if (e instanceof NodeException) {
      return ExitCodes.UNAVAILABLE;
    }
    // Files, option values, other checks.
    if (e instanceof IOException || e instanceof UncheckedIOException) {
      return ExitCodes.BAD_INPUT;
    }
    if (e instanceof IllegalArgumentException) {
      return ExitCodes.USAGE;
    }
    if (e instanceof GeneralSecurityException) {
      return ExitCodes.CHECK_FAILED;
    }
    return ExitCodes.INTERNAL;
  }

  /**
   * The exit code for a refusal by the fleet: a login session that expired ({@code NO_SESSION})
   * or a record that changed during the operation ({@code CHANGED}) is {@link ExitCodes#RETRY}.
   */
  public static int exitCode(Rejection r) {
    return switch (r) {
      case BAD_REQUEST, EXISTS -> ExitCodes.BAD_INPUT;
      // A migration step found no closed record yet: run the recover again.
      case NO_SESSION, CHANGED, NOT_CLOSED -> ExitCodes.RETRY;
      // A failed login binding, no valid tenant token for the user, not allowed.
      case LOGIN_FAILED, UNAUTHORIZED, FORBIDDEN -> ExitCodes.AUTHENTICATION;
      // No majority, or the user's rate limit: try again later.
      case UNAVAILABLE, RATE_LIMITED -> ExitCodes.UNAVAILABLE;
      case FAULT, CLIENT_FAULT, UNKNOWN -> ExitCodes.INTERNAL;
    };
  }

  private static int exitCode(BundleException e) {
    return switch (e.reason()) {
      case MALFORMED -> ExitCodes.BAD_INPUT;
      case EQUIVOCATION -> ExitCodes.EQUIVOCATION;
      case UNKNOWN_KEY, BAD_COSIGNER_SIGNATURE, BAD_COUNTERSIGNATURE, BAD_CHECKPOINT ->
          ExitCodes.AUTHENTICATION;
      case FAULT -> hsmCause(e) ? ExitCodes.HSM : ExitCodes.INTERNAL;
      case INCLUSION_PROOF, INCONSISTENT_CHECKPOINT, NOT_YET_VALID, EXPIRED, ROLLBACK,
          EPOCH_NOT_NEXT, PREV_MISMATCH, FLEET_MISMATCH, EVIDENCE_INVALID, EVIDENCE_MISMATCH,
          CONSISTENCY_UNAVAILABLE, MISSING_COSIGNATURES, RETIREMENT_INVALID, EPOCH_RETIRED ->
              ExitCodes.CHECK_FAILED;
    };
  }

  /** The one line reported for {@code e} (after "bkv: "), never a stack trace. */
  public static String line(Throwable e) {
    String line = ErrorLine.of(e);
    if (e instanceof BundleException b && b.reason() != BundleException.Reason.EQUIVOCATION) {
      return b.reason() + ": " + line;
    }
    if (e instanceof RejectedException r) {
      return switch (r.reason()) {
        case NO_SESSION -> line + "; the login session expired or was used (it lives on one "
            + "member for a short time): run the command again";
        case CHANGED -> line + "; the record changed while the command ran (another login or "
            + "a password change): run the command again";
        case RATE_LIMITED -> line + "; too many requests for this user: try again later";
        default -> line;
      };
    }
    return line;
  }

  /** Whether the HSM failed underneath {@code e} (its cause or its cause's cause). */
  private static boolean hsmCause(Throwable e) {
    Throwable c = e.getCause();
    return c instanceof HsmException || c != null && c.getCause() instanceof HsmException;
  }
}
