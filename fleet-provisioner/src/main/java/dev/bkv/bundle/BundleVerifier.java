package dev.bkv.bundle;

import static dev.bkv.bundle.BundleException.Reason.BAD_CHECKPOINT;
import static dev.bkv.bundle.BundleException.Reason.BAD_COSIGNER_SIGNATURE;
import static dev.bkv.bundle.BundleException.Reason.CONSISTENCY_UNAVAILABLE;
import static dev.bkv.bundle.BundleException.Reason.EXPIRED;
import static dev.bkv.bundle.BundleException.Reason.INCLUSION_PROOF;
import static dev.bkv.bundle.BundleException.Reason.INCONSISTENT_CHECKPOINT;
import static dev.bkv.bundle.BundleException.Reason.MISSING_COSIGNATURES;
import static dev.bkv.bundle.BundleException.Reason.NOT_YET_VALID;
import static dev.bkv.bundle.BundleException.Reason.ROLLBACK;
import static dev.bkv.bundle.BundleException.Reason.UNKNOWN_KEY;

import dev.bkv.transparency.MalformedInputException;
import dev.bkv.transparency.Checkpoint;
import dev.bkv.transparency.NoteSignature;
import dev.bkv.transparency.Rfc6962;
import dev.bkv.transparency.SignedNotes;
import dev.bkv.transparency.TransparencyException;
import dev.bkv.transparency.VerificationFailedException;
import dev.bkv.transparency.VerifiedNote;
import dev.bkv.transparency.VerifierKey;
import dev.bkv.transparency.WitnessPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The client's rules for accepting a validation bundle (DESIGN.md §5), in this order:
 *
 * <ol>
 *   <li>the bundle note is signed by the pinned cosigner key (UNKNOWN_KEY, BAD_COSIGNER_SIGNATURE);
 *   <li>the operator countersignature, by the pinned operator key, covers that exact cosigner
 *       signature (BAD_COUNTERSIGNATURE);
 *   <li>the checkpoint is signed by the cosigner, carries valid cosignatures by at least as many
 *       of the pinned witnesses as the {@link WitnessPolicy} requires (none by default), and the
 *       inclusion proof puts the bundle text at leaf {@code epoch - 1} of its tree, or later when
 *       retirements of earlier epochs precede it in the log (BAD_CHECKPOINT,
 *       MISSING_COSIGNATURES, INCLUSION_PROOF);
 *   <li>against the stored state: epoch not below the highest seen (ROLLBACK), same epoch means
 *       same text ({@link EquivocationException}), and the new checkpoint is consistent with the
 *       stored one (INCONSISTENT_CHECKPOINT);
 *   <li>now lies in [not-before − skew, not-after + skew] (NOT_YET_VALID, EXPIRED).
 * </ol>
 *
 * <p>Nothing is stored here: the caller stores {@link VerifiedBundle#state()} after success.
 */
public final class BundleVerifier {

  private final VerifierKey cosigner;
  private final VerifierKey operator;
  private final Clock clock;
  private final Duration skew;
  private final WitnessPolicy witnesses;

  public BundleVerifier(VerifierKey cosigner, VerifierKey operator, Clock clock, Duration skew) {
    this(cosigner, operator, clock, skew, WitnessPolicy.NONE);
  }

  /** As above, requiring the checkpoint to satisfy {@code witnesses}. */
  public BundleVerifier(VerifierKey cosigner, VerifierKey operator, Clock clock, Duration skew,
      WitnessPolicy witnesses) {
    if (skew.isNegative()) {
      throw new IllegalArgumentException("skew is " + skew + "; expected >= 0");
    }
    if (cosigner.isCosignature()) {
      throw new IllegalArgumentException("cosigner key " + cosigner.name() + " is a witness's"
          + " cosignature key (type 0x04); pin the cosigner's own key");
    }
    this.cosigner = cosigner;
    this.operator = operator;
    this.clock = clock;
    this.skew = skew;
    this.witnesses = java.util.Objects.requireNonNull(witnesses, "witnesses");
  }

  /**
   * Applies every rule. {@code state} is null for a client that has accepted nothing yet;
   * {@code proofs} may be null when no consistency proof can be fetched (then only a checkpoint
   * of the stored size is accepted).
   */
  public VerifiedBundle verify(CosignedBundle file, ClientState state, ConsistencySource proofs)
      throws BundleException {
    VerifiedNote note = openNote(file);
    NoteSignature cosig = note.signatureBy(cosigner.name(), cosigner.keyId());
    Countersignature.verify(file.parsedCountersignature(), cosig, operator);
    ValidationBundle bundle = ValidationBundle.parse(note.text());
    Checkpoint checkpoint = openCheckpoint(file.checkpoint(), "bundle's");
    checkWitnesses(file.checkpoint(), checkpoint);
    if (file.index() < bundle.epoch() - 1) {
      throw new BundleRejectedException(INCLUSION_PROOF, "bundle of epoch " + bundle.epoch()
          + " is given as leaf " + file.index() + "; it must be leaf " + (bundle.epoch() - 1)
          + " or later (every earlier epoch's bundle comes before it)");
    }
    if (checkpoint.size() <= file.index()) {
      throw new BundleRejectedException(INCLUSION_PROOF, "checkpoint of size "
          + checkpoint.size() + " cannot include leaf " + file.index());
    }
    try {
      file.proof(checkpoint.size()).verify(
          Rfc6962.leafHash(note.text().getBytes(StandardCharsets.UTF_8)), checkpoint.root());
    } catch (TransparencyException e) {
      throw new BundleRejectedException(INCLUSION_PROOF, "inclusion proof of epoch "
          + bundle.epoch() + " does not match the cosigner checkpoint: " + e.getMessage(), e);
    }
    byte[] keptCheckpoint = file.checkpoint().getBytes(StandardCharsets.UTF_8);
    long epoch = bundle.epoch();
    if (state != null) {
      checkAgainstState(bundle, noteText(file), state);
      Checkpoint stored = openCheckpoint(state.checkpoint(), "stored");
      checkConsistent(stored, checkpoint, proofs);
      if (stored.size() > checkpoint.size()) {
        keptCheckpoint = state.checkpoint().getBytes(StandardCharsets.UTF_8);
      }
      epoch = Math.max(epoch, state.epoch());
    }
    checkWindow(bundle);
    ClientState next = epoch == bundle.epoch()
        ? ClientState.of(epoch, bundle.hash(), noteText(file), keptCheckpoint)
        : ClientState.of(state.epoch(), state.hash(), state.bundleNote(), keptCheckpoint);
    return new VerifiedBundle(bundle, checkpoint, next);
  }

  private VerifiedNote openNote(CosignedBundle file) throws BundleException {
    byte[] bytes = file.parsedNote().toBytes();
    try {
      return SignedNotes.open(bytes, List.of(cosigner.verifier()));
    } catch (VerificationFailedException e) {
      boolean noKey = e.reason() == VerificationFailedException.Reason.NO_TRUSTED_SIGNATURE;
      throw new BundleRejectedException(noKey ? UNKNOWN_KEY : BAD_COSIGNER_SIGNATURE,
          (noKey ? "bundle is not signed by the pinned cosigner key: "
              : "cosigner signature on the bundle does not verify: ") + e.getMessage(), e);
    } catch (TransparencyException e) {
      throw new MalformedBundleException("bundle note: " + e.getMessage(), e);
    }
  }

  private Checkpoint openCheckpoint(String note, String which) throws BundleException {
    try {
      return Checkpoint.open(note.getBytes(StandardCharsets.UTF_8), cosigner.name(),
          List.of(cosigner.verifier()));
    } catch (MalformedInputException e) {
      throw new MalformedBundleException(which + " checkpoint: " + e.getMessage(), e);
    } catch (TransparencyException e) {
      throw new BundleRejectedException(BAD_CHECKPOINT, which
          + " checkpoint is not validly signed by the cosigner: " + e.getMessage(), e);
    }
  }

  private void checkWitnesses(String note, Checkpoint checkpoint) throws BundleException {
    try {
      witnesses.require(note.getBytes(StandardCharsets.UTF_8));
    } catch (MalformedInputException e) {
      throw new MalformedBundleException("bundle's checkpoint: " + e.getMessage(), e);
    } catch (TransparencyException e) {
      throw new BundleRejectedException(MISSING_COSIGNATURES, "bundle's checkpoint of size "
          + checkpoint.size() + " lacks witness cosignatures: " + e.getMessage(), e);
    }
  }

  private static String noteText(CosignedBundle file) throws MalformedBundleException {
    return new String(file.parsedNote().toBytes(), StandardCharsets.UTF_8);
  }

  private static void checkAgainstState(ValidationBundle bundle, String note, ClientState state)
      throws BundleException {
    if (bundle.epoch() < state.epoch()) {
      throw new BundleRejectedException(ROLLBACK, "bundle epoch " + bundle.epoch()
          + " is below epoch " + state.epoch() + " already accepted (rollback)");
    }
    if (bundle.epoch() == state.epoch() && !bundle.hash().equals(state.hash())) {
      throw new EquivocationException(bundle.epoch(), "bundle " + bundle.hash().toHex()
          + " differs from bundle " + state.bundleHash() + " accepted earlier for the same"
          + " epoch; both carry valid cosigner signatures", List.of(state.bundleNote(), note));
    }
  }

  private static void checkConsistent(Checkpoint stored, Checkpoint fresh,
      ConsistencySource proofs) throws BundleException {
    Checkpoint older = stored.size() <= fresh.size() ? stored : fresh;
    Checkpoint newer = older == stored ? fresh : stored;
    try {
      if (older.size() == newer.size()) {
        older.verifyExtendedBy(newer, List.of());
        return;
      }
      if (proofs == null) {
        throw new BundleRejectedException(CONSISTENCY_UNAVAILABLE, "checkpoint size "
            + fresh.size() + " differs from the stored " + stored.size()
            + " and no log was given to prove consistency");
      }
      older.verifyExtendedBy(newer, proofs.proof(older.size(), newer.size()).hashes());
    } catch (TransparencyException e) {
      throw new BundleRejectedException(INCONSISTENT_CHECKPOINT, "cosigner checkpoint of size "
          + fresh.size() + " is not consistent with the stored one of size " + stored.size()
          + ": " + e.getMessage(), e);
    }
  }

  private void checkWindow(ValidationBundle bundle) throws BundleRejectedException {
    Instant now = clock.instant();
    if (now.isBefore(bundle.notBefore().minus(skew))) {
      throw new BundleRejectedException(NOT_YET_VALID, "bundle of epoch " + bundle.epoch()
          + " is valid from " + bundle.notBefore() + "; now is " + now + " (skew " + skew + ")");
    }
    if (now.isAfter(bundle.notAfter().plus(skew))) {
      throw new BundleRejectedException(EXPIRED, "bundle of epoch " + bundle.epoch()
          + " expired at " + bundle.notAfter() + "; now is " + now + " (skew " + skew + ")");
    }
  }
}
