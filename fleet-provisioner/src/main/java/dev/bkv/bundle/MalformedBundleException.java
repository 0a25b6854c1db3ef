package dev.bkv.bundle;

/** The input does not parse: a bundle text, a cosigned bundle file, a state file or a key. */
public final class MalformedBundleException extends BundleException {

  private static final long serialVersionUID = 1L;

  public MalformedBundleException(String message) {
    super(Reason.MALFORMED, message, null);
  }

  public MalformedBundleException(String message, Throwable cause) {
    super(Reason.MALFORMED, message, cause);
  }
}
