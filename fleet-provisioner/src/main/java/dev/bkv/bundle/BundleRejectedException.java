package dev.bkv.bundle;

/**
 * A well-formed bundle, cosigning request or log failed one of the rules; {@link #reason()} says
 * which: any reason but {@code MALFORMED}, {@code EQUIVOCATION} and {@code FAULT}, which have
 * their own types (passing one of them is an {@link IllegalArgumentException}). The message
 * names the bad value and what was expected.
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
