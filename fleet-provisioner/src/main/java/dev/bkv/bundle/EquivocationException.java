package dev.bkv.bundle;

/**
 * Two different bundles for one epoch: either the cosigner was asked to sign a second one, or a
 * client holding one accepted bundle was shown another, validly signed, for the same epoch. This
 * is proof that someone (operator or cosigner) shows different fleets to different people; it
 * must be reported, never retried away.
 */
public final class EquivocationException extends BundleException {

  private static final long serialVersionUID = 1L;

  private final long epoch;

  public EquivocationException(long epoch, String message) {
    super(Reason.EQUIVOCATION, "EQUIVOCATION at epoch " + epoch + ": " + message, null);
    this.epoch = epoch;
  }

  public long epoch() {
    return epoch;
  }
}
