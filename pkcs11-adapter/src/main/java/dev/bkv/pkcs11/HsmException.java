package dev.bkv.pkcs11;

import java.security.GeneralSecurityException;
import java.util.Optional;

/**
 * Root of every error the PKCS#11 adapter reports. The message names what was being done and
 * why it failed, e.g. {@code opening token 'member-1' on /usr/lib/softhsm/libsofthsm2.so:
 * CKR_PIN_INCORRECT}. When the module returned an error, {@link #ckr()} carries it.
 */
public class HsmException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  private final String operation;
  private final transient Ckr ckr;

  /** An error the module reported while doing {@code operation}. */
  public HsmException(String operation, Ckr ckr, Throwable cause) {
    super(operation + ": " + ckr.name() + explain(ckr), cause);
    this.operation = operation;
    this.ckr = ckr;
  }

  /**
   * An error the module reported while doing {@code operation} with what the call involved,
   * e.g. {@code mechanism CKM_AES_GCM} or {@code attributes CKA_CLASS=4, CKA_TOKEN=true}
   * (empty: nothing to add).
   */
  public HsmException(String operation, Ckr ckr, String involved, Throwable cause) {
    super(operation + ": " + ckr.name() + explain(ckr)
        + (involved == null || involved.isEmpty() ? "" : " [" + involved + "]"), cause);
    this.operation = operation;
    this.ckr = ckr;
  }

  /** An error detected by the adapter itself (no {@code CKR_*} involved). */
  public HsmException(String operation, String problem) {
    this(operation, problem, null);
  }

  public HsmException(String operation, String problem, Throwable cause) {
    this(operation, problem, null, cause);
  }

  /** A problem in the adapter's words that the module reported as {@code ckr} (may be null). */
  protected HsmException(String operation, String problem, Ckr ckr, Throwable cause) {
    super(operation + ": " + problem, cause);
    this.operation = operation;
    this.ckr = ckr;
  }

  /** What the adapter was doing, e.g. {@code ECDH with key 'fleet/1/oprf'}. */
  public String operation() {
    return operation;
  }

  /** The module's return value, if the module reported the error. */
  public Optional<Ckr> ckr() {
    return Optional.ofNullable(ckr);
  }

  private static String explain(Ckr ckr) {
    String hint = Hints.forCode(ckr.code());
    return hint.isEmpty() ? "" : " (" + hint + ")";
  }
}
