package dev.bkv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.bundle.BundleException;
import dev.bkv.bundle.BundleException.Reason;
import dev.bkv.bundle.BundleFaultException;
import dev.bkv.bundle.BundleRejectedException;
import dev.bkv.bundle.EquivocationException;
import dev.bkv.bundle.MalformedBundleException;
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
import dev.bkv.pkcs11.Ckr;
import dev.bkv.pkcs11.HsmAuthenticationException;
import dev.bkv.pkcs11.HsmConfigException;
import dev.bkv.pkcs11.HsmException;
import dev.bkv.pkcs11.HsmNotFoundException;
import dev.bkv.transparency.MalformedInputException;
import dev.bkv.transparency.VerificationFailedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CLI's one error mapping: every error type and every fleet refusal to its exit code. */
class ErrorMappingTest {

  /** README.md's exit-code table, one row per client outcome. */
  private static final Map<Rejection, Integer> REJECTIONS = new EnumMap<>(Map.ofEntries(
      Map.entry(Rejection.BAD_REQUEST, ExitCodes.BAD_INPUT),
      Map.entry(Rejection.EXISTS, ExitCodes.BAD_INPUT),
      Map.entry(Rejection.NO_SESSION, ExitCodes.RETRY),
      Map.entry(Rejection.CHANGED, ExitCodes.RETRY),
      Map.entry(Rejection.LOGIN_FAILED, ExitCodes.AUTHENTICATION),
      Map.entry(Rejection.UNAUTHORIZED, ExitCodes.AUTHENTICATION),
      Map.entry(Rejection.FORBIDDEN, ExitCodes.AUTHENTICATION),
      Map.entry(Rejection.UNAVAILABLE, ExitCodes.UNAVAILABLE),
      Map.entry(Rejection.RATE_LIMITED, ExitCodes.UNAVAILABLE),
      Map.entry(Rejection.NOT_CLOSED, ExitCodes.RETRY),
      Map.entry(Rejection.FAULT, ExitCodes.INTERNAL),
      Map.entry(Rejection.CLIENT_FAULT, ExitCodes.INTERNAL),
      Map.entry(Rejection.UNKNOWN, ExitCodes.INTERNAL)));

  @Test
  void everyRejectionHasItsDocumentedExitCode() {
    for (Rejection r : Rejection.values()) {
      assertTrue(REJECTIONS.containsKey(r), r + " is missing from the table");
      RejectedException e = new RejectedException(r, "X", "RecoverFinish: X (why)", null);
      assertEquals(REJECTIONS.get(r), ErrorMapping.exitCode(e), r.name());
      assertEquals(REJECTIONS.get(r), ErrorMapping.exitCode(r), r.name());
    }
  }

  @Test
  void anExpiredSessionOrAChangedRecordSaysToRunTheCommandAgain() {
    for (String code : new String[] {"NOT_FOUND", "ABORTED"}) {
      RejectedException e = new RejectedException(code, "RecoverFinish: " + code + " (x)", null);
      assertEquals(ExitCodes.RETRY, ErrorMapping.exitCode(e), code);
      String line = ErrorMapping.line(e);
      assertTrue(line.startsWith("RecoverFinish: " + code) && line.endsWith(
          "run the command again"), line);
      assertFalse(line.contains("\n"), line);
    }
    assertTrue(ErrorMapping.line(new RejectedException(Rejection.RATE_LIMITED,
        "RESOURCE_EXHAUSTED", "m", null)).endsWith("try again later"));
  }

  @Test
  void clientOutcomes() {
    assertEquals(ExitCodes.AUTHENTICATION, ErrorMapping.exitCode(new WrongPasswordException(3)));
    assertEquals(ExitCodes.NOT_FOUND, ErrorMapping.exitCode(new LockedException("ana")));
    assertEquals(ExitCodes.UNAVAILABLE,
        ErrorMapping.exitCode(new UnavailableException("no member", null)));
    assertEquals(ExitCodes.CHECK_FAILED,
        ErrorMapping.exitCode(new UntrustedFleetException("other fleet", null)));
  }

  @Test
  void everyBundleReasonHasAnExitCodeAndIsNamedInTheLine() {
    for (Reason r : Reason.values()) {
      BundleException e = switch (r) {
        case MALFORMED -> new MalformedBundleException("bad text");
        case FAULT -> new BundleFaultException("disk");
        case EQUIVOCATION -> new EquivocationException(3, "two bundles");
        default -> new BundleRejectedException(r, "rule");
      };
      int expected = switch (r) {
        case MALFORMED -> ExitCodes.BAD_INPUT;
        case EQUIVOCATION -> ExitCodes.EQUIVOCATION;
        case UNKNOWN_KEY, BAD_COSIGNER_SIGNATURE, BAD_COUNTERSIGNATURE, BAD_CHECKPOINT ->
            ExitCodes.AUTHENTICATION;
        case FAULT -> ExitCodes.INTERNAL;
        default -> ExitCodes.CHECK_FAILED;
      };
      assertEquals(expected, ErrorMapping.exitCode(e), r.name());
      String line = ErrorMapping.line(e);
      assertTrue(r == Reason.EQUIVOCATION ? line.startsWith("EQUIVOCATION at epoch 3")
          : line.equals(r + ": " + e.getMessage()), line);
    }
    HsmException hsm = new HsmException("C_Sign", Ckr.GENERAL_ERROR, null);
    assertEquals(ExitCodes.HSM, ErrorMapping.exitCode(new BundleFaultException("sign", hsm)));
  }

  @Test
  void fleetProvisionerErrors() {
    assertEquals(ExitCodes.BAD_INPUT,
        ErrorMapping.exitCode(new MalformedEvidenceException("not JSON")));
    assertEquals(ExitCodes.CHECK_FAILED,
        ErrorMapping.exitCode(new EvidenceVerificationException("bad signature")));
    assertEquals(ExitCodes.CHECK_FAILED, ErrorMapping.exitCode(new CeremonyException("step 3")));
    assertEquals(ExitCodes.HSM, ErrorMapping.exitCode(new CeremonyException("step 3",
        new HsmException("C_GenerateKeyPair", Ckr.GENERAL_ERROR, null))));
    assertEquals(ExitCodes.BAD_INPUT, ErrorMapping.exitCode(
        new MalformedInputException(MalformedInputException.Problem.MALFORMED_NOTE, "no blank line")));
    assertEquals(ExitCodes.CHECK_FAILED, ErrorMapping.exitCode(new VerificationFailedException(
        VerificationFailedException.Reason.values()[0], "signature")));
  }

  @Test
  void hsmErrors() {
    assertEquals(ExitCodes.BAD_INPUT,
        ErrorMapping.exitCode(new HsmConfigException("load", "no pkcs11.module")));
    assertEquals(ExitCodes.NOT_FOUND,
        ErrorMapping.exitCode(new HsmNotFoundException("open", "no token 'x'")));
    assertEquals(ExitCodes.AUTHENTICATION, ErrorMapping.exitCode(
        new HsmAuthenticationException("C_Login", Ckr.PIN_INCORRECT, null)));
    assertEquals(ExitCodes.HSM,
        ErrorMapping.exitCode(new HsmException("C_Sign", Ckr.GENERAL_ERROR, null)));
  }

  @Test
  void configFilesAndOptions() {
    assertEquals(ExitCodes.BAD_INPUT, ErrorMapping.exitCode(new ConfigException("node.id")));
    assertEquals(ExitCodes.BAD_INPUT, ErrorMapping.exitCode(new TenantKeyException("kid")));
    assertEquals(ExitCodes.UNAVAILABLE, ErrorMapping.exitCode(new NodeException("no quorum")));
    assertEquals(ExitCodes.BAD_INPUT, ErrorMapping.exitCode(new NoSuchFileException("a.pem")));
    assertEquals(ExitCodes.BAD_INPUT,
        ErrorMapping.exitCode(new UncheckedIOException(new IOException("read"))));
    assertEquals(ExitCodes.USAGE, ErrorMapping.exitCode(new IllegalArgumentException("--epoch")));
    assertEquals(ExitCodes.CHECK_FAILED,
        ErrorMapping.exitCode(new GeneralSecurityException("check")));
    assertEquals(ExitCodes.NOT_FOUND,
        ErrorMapping.exitCode(new CliException(ExitCodes.NOT_FOUND, "no cosigner")));
    assertEquals(ExitCodes.INTERNAL, ErrorMapping.exitCode(new IllegalStateException("bug")));
    assertEquals(ExitCodes.INTERNAL, ErrorMapping.exitCode(new NullPointerException()));
  }

  @Test
  void everyExitCodeIsInTheHelpList() {
    for (int code : new int[] {ExitCodes.OK, ExitCodes.CHECK_FAILED, ExitCodes.USAGE,
        ExitCodes.BAD_INPUT, ExitCodes.HSM, ExitCodes.NOT_FOUND, ExitCodes.AUTHENTICATION,
        ExitCodes.UNAVAILABLE, ExitCodes.EQUIVOCATION, ExitCodes.RETRY, ExitCodes.INTERNAL}) {
      boolean listed = false;
      for (String s : ExitCodes.HELP_LIST) {
        listed |= s.startsWith(code + ":");
      }
      assertTrue(listed, code + " is not in bkv --help");
    }
  }
}
