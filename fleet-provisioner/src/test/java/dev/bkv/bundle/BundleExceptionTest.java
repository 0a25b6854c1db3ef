package dev.bkv.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bkv.bundle.BundleException.Reason;
import dev.bkv.ceremony.CeremonyException;
import dev.bkv.evidence.EvidenceVerificationException;
import dev.bkv.evidence.MalformedEvidenceException;
import dev.bkv.provisioner.ProvisionerException;
import org.junit.jupiter.api.Test;

/** A bundle error's type and reason agree; the module's errors share one checked root. */
class BundleExceptionTest {
  @Test
  void eachReasonHasExactlyOneType() {
    for (Reason r : Reason.values()) {
      BundleException e = switch (r) {
        case MALFORMED -> new MalformedBundleException("m");
        case EQUIVOCATION -> new EquivocationException(1, "m");
        case FAULT -> new BundleFaultException("m");
        default -> new BundleRejectedException(r, "m");
      };
      assertEquals(r, e.reason());
      assertEquals(r.kind(), e.getClass(), r.name());
    }
  }

  @Test
  void aRejectionCannotCarryAnotherTypesReason() {
    for (Reason r : new Reason[] {Reason.MALFORMED, Reason.EQUIVOCATION, Reason.FAULT}) {
      assertThrows(IllegalArgumentException.class, () -> new BundleRejectedException(r, "m"),
          r.name());
    }
  }

  @Test
  void oneCheckedRootForTheModule() {
    assertInstanceOf(ProvisionerException.class, new BundleFaultException("m"));
    assertInstanceOf(ProvisionerException.class, new CeremonyException("m"));
    assertInstanceOf(ProvisionerException.class, new MalformedEvidenceException("m"));
    assertInstanceOf(ProvisionerException.class, new EvidenceVerificationException("m"));
  }
}
