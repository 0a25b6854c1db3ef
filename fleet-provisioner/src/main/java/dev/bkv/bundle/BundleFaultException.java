package dev.bkv.bundle;

/** Not the input's fault: an I/O failure, a failing key store, or a log whose files contradict each other. */
public final class BundleFaultException extends BundleException {

  private static final long serialVersionUID = 1L;

  public BundleFaultException(String message) {
    super(Reason.FAULT, message, null);
  }

  public BundleFaultException(String message, Throwable cause) {
    super(Reason.FAULT, message, cause);
  }
}
