package dev.bkv.bundle;

import dev.bkv.provisioner.ProvisionerException;
import java.util.Objects;

/**
 * Root of every checked error raised by {@code dev.bkv.bundle}. Each carries a {@link Reason}, so
 * callers (the CLI, the client library) can tell a malformed file from a failed check, an
 * equivocating cosigner from a stale bundle, and a fault of bkv itself from all of them.
 *
 * <p>Kinds, each for its own reasons only (so type and reason always agree; {@link
 * Reason#kind()}): {@link MalformedBundleException} ({@code MALFORMED}: bad input; do not retry),
 * {@link EquivocationException} ({@code EQUIVOCATION}: two different bundles for one epoch, both
 * signed: report loudly), {@link BundleFaultException} ({@code FAULT}: I/O, a failing key store)
 * and {@link BundleRejectedException} (every other reason: a well-formed bundle failed a rule;
 * treat as an attack until shown otherwise).
 */
public abstract sealed class BundleException extends ProvisionerException
    permits MalformedBundleException, BundleRejectedException, EquivocationException,
    BundleFaultException {

  private static final long serialVersionUID = 1L;

  /** Why a bundle, a cosigning request or a log was refused. */
  public enum Reason {
    /** Text, note, JSON or key does not parse. */
    MALFORMED,
    /** Not signed by the pinned key (wrong key, unknown key, or a signature in the wrong role). */
    UNKNOWN_KEY,
    /** The cosigner's signature on the bundle does not verify. */
    BAD_COSIGNER_SIGNATURE,
    /** The operator's countersignature is missing or not over this cosigner signature. */
    BAD_COUNTERSIGNATURE,
    /** The checkpoint is not signed by the cosigner or is malformed. */
    BAD_CHECKPOINT,
    /** Fewer of the required witnesses than the policy asks cosigned the checkpoint. */
    MISSING_COSIGNATURES,
    /** The inclusion proof does not put this bundle in the signed checkpoint's tree. */
    INCLUSION_PROOF,
    /** The new checkpoint does not extend the one seen before (forked or rolled-back log). */
    INCONSISTENT_CHECKPOINT,
    /** Now is before the bundle's not-before (minus skew). */
    NOT_YET_VALID,
    /** Now is after the bundle's not-after (plus skew). */
    EXPIRED,
    /** The epoch is below the highest one already accepted. */
    ROLLBACK,
    /** Two different signed bundles for one epoch. */
    EQUIVOCATION,
    /** The cosigner was asked to sign an epoch other than its last plus one. */
    EPOCH_NOT_NEXT,
    /** {@code prev} is not the hash of the previous bundle. */
    PREV_MISMATCH,
    /** The bundle names another fleet than the log's earlier bundles. */
    FLEET_MISMATCH,
    /** The evidence itself fails verification (a signature, proof of possession, end state). */
    EVIDENCE_INVALID,
    /** The evidence does not match the bundle's {@code evidence} hash or fields. */
    EVIDENCE_MISMATCH,
    /** A consistency proof was needed but no log to take it from was given. */
    CONSISTENCY_UNAVAILABLE,
    /**
     * A retirement statement fails: a member's read-back or signature, the operator's signature,
     * or the retired bundle it names.
     */
    RETIREMENT_INVALID,
    /** The epoch is not in the log, or was retired already. */
    EPOCH_RETIRED,
    /** I/O failure, failing key store, corrupt log: not the input's fault. */
    FAULT;

    /** The one subclass that carries this reason. */
    public Class<? extends BundleException> kind() {
      return switch (this) {
        case MALFORMED -> MalformedBundleException.class;
        case EQUIVOCATION -> EquivocationException.class;
        case FAULT -> BundleFaultException.class;
        default -> BundleRejectedException.class;
      };
    }
  }

  private final Reason reason;

  BundleException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    if (!reason.kind().isInstance(this)) {
      throw new IllegalArgumentException(reason + " is a " + reason.kind().getSimpleName()
          + ", not a " + getClass().getSimpleName());
    }
  }

  public Reason reason() {
    return reason;
  }
}
