package dev.bkv.provisioner;

import java.security.GeneralSecurityException;

/**
 * Root of the checked errors of fleet-provisioner's {@code dev.bkv.ceremony},
 * {@code dev.bkv.evidence} and {@code dev.bkv.bundle}, so a caller can catch the module's errors
 * in one clause and tell them apart by type: {@link dev.bkv.ceremony.CeremonyException} (the
 * ceremony could not complete), {@link dev.bkv.evidence.EvidenceException} (malformed evidence,
 * or evidence that fails a check) and {@link dev.bkv.bundle.BundleException} (a bundle, a
 * cosigning request or a log refused, with its {@link dev.bkv.bundle.BundleException.Reason}).
 * Like every crypto and protocol error in bkv it is a {@link GeneralSecurityException}.
 */
public abstract class ProvisionerException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  protected ProvisionerException(String message) {
    super(message);
  }

  protected ProvisionerException(String message, Throwable cause) {
    super(message, cause);
  }
}
