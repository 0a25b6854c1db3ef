package dev.bkv.bundle;

/**
 * A well-formed bundle, cosigning request or log failed one of the rules; {@link #reason()} says
 * which. The message names the bad value and what was expected.
 */
public final class BundleRejectedException extends BundleException {

  private static final long serialVersionUID = 1L;

  public BundleRejectedException(Reason reason, String message) {
    super(reason, message, null);
  }

  public BundleRejectedException(Reason reason, String message, Throwable cause) {
    super(reason, message, cause);
  }
}
