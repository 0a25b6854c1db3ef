package dev.bkv.bundle;

import java.util.List;

/**
 * Two different bundles for one epoch: either the cosigner was asked to sign a second one, or a
 * client holding one accepted bundle was shown another, validly signed, for the same epoch. This
 * is proof that someone (operator or cosigner) shows different fleets to different people; it
 * must be reported, never retried away.
 */
public final class EquivocationException extends BundleException {

  private static final long serialVersionUID = 1L;

  private final long epoch;
  private final List<String> signedNotes;

  public EquivocationException(long epoch, String message) {
    this(epoch, message, List.of());
  }

  /** With the proof: two different bundle notes for {@code epoch}, both cosigner-signed. */
  public EquivocationException(long epoch, String message, List<String> signedNotes) {
    super(Reason.EQUIVOCATION, "EQUIVOCATION at epoch " + epoch + ": " + message, null);
    this.epoch = epoch;
    this.signedNotes = List.copyOf(signedNotes);
  }

  public long epoch() {
    return epoch;
  }

  /**
   * The signed notes that prove the equivocation (empty when the cosigner itself refused to
   * sign a second bundle: then nothing was signed).
   */
  public List<String> signedNotes() {
    return signedNotes;
  }
}
