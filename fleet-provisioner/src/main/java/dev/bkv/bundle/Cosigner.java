package dev.bkv.bundle;

import dev.bkv.transparency.DurableFiles;
import dev.bkv.transparency.InclusionProof;
import dev.bkv.transparency.Note;
import dev.bkv.transparency.NoteSigner;
import dev.bkv.transparency.SignedNotes;
import dev.bkv.transparency.TileLogReader;
import dev.bkv.transparency.TileLogWriter;
import dev.bkv.transparency.TransparencyException;
import dev.bkv.transparency.VerifierKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The cosigner: the independent party that signs each epoch's validation bundle and appends it
 * to its public audit log (a tlog-tiles directory whose origin is the cosigner's key name).
 *
 * <p>The log is the cosigner's only state: leaf {@code n - 1} is the bundle of epoch {@code n}.
 * It signs epoch {@code n} only when the log holds {@code n - 1} bundles, the new {@code prev}
 * is the hash of the last one and the fleet id is the same. Asking again for an epoch already
 * logged returns the same answer when the text is identical (Ed25519 is deterministic) and is
 * refused as equivocation otherwise. The append is the commit point: a crash after it and before
 * the answer is written is repaired by asking again. Signed bundle notes are also published as
 * {@code bundles/<epoch>.note} beside the tiles for auditors.
 *
 * <p>One instance per log directory (the log writer holds a file lock). Not thread-safe.
 */
public final class Cosigner implements AutoCloseable {

  private final TileLogWriter writer;
  private final NoteSigner signer;
  private final VerifierKey key;
  private final EvidenceCheck evidenceCheck;

  private Cosigner(TileLogWriter writer, NoteSigner signer, VerifierKey key,
      EvidenceCheck evidenceCheck) {
    this.writer = writer;
    this.signer = signer;
    this.key = key;
    this.evidenceCheck = evidenceCheck;
  }

  /**
   * Opens (or creates, empty) the log in {@code logDir}; evidence is fully verified
   * ({@link EvidenceCheck#VERIFIER}).
   */
  public static Cosigner open(Path logDir, NoteSigner signer, VerifierKey key)
      throws BundleException {
    return open(logDir, signer, key, EvidenceCheck.VERIFIER, TileLogWriter.StepHook.NONE);
  }

  /** As {@link #open(Path, NoteSigner, VerifierKey)} with an evidence check and a test hook. */
  public static Cosigner open(Path logDir, NoteSigner signer, VerifierKey key,
      EvidenceCheck evidenceCheck, TileLogWriter.StepHook hook) throws BundleException {
    if (!key.name().equals(signer.name()) || key.keyId() != signer.keyId()) {
      throw new MalformedBundleException("cosigner signer " + signer.name()
          + " does not match its verifier key " + key.encode());
    }
    try {
      return new Cosigner(TileLogWriter.open(logDir, key.name(), signer, key.verifier(), hook),
          signer, key, evidenceCheck);
    } catch (TransparencyException e) {
      throw new BundleFaultException("cannot open cosigner log " + logDir + ": "
          + e.getMessage(), e);
    }
  }

  /** The number of bundles signed so far (the last epoch). */
  public long lastEpoch() throws BundleException {
    try {
      return writer.checkpoint().size();
    } catch (TransparencyException e) {
      throw new BundleFaultException("cosigner checkpoint unreadable: " + e.getMessage(), e);
    }
  }

  /**
   * Verifies the evidence, checks the bundle against it and the log, appends it, and returns
   * the signed bundle with the new checkpoint and an inclusion proof.
   */
  public CosignedBundle sign(String bundleText, byte[] evidence) throws BundleException {
    ValidationBundle bundle = ValidationBundle.parse(bundleText);
    evidenceCheck.check(evidence);
    EvidenceFacts.read(evidence).requireMatches(bundle);
    byte[] entry = bundleText.getBytes(StandardCharsets.UTF_8);
    try {
      long size = lastEpoch();
      TileLogReader log = reader();
      if (bundle.epoch() <= size) {
        byte[] logged = log.entry(bundle.epoch() - 1);
        if (!Arrays.equals(logged, entry)) {
          throw new EquivocationException(bundle.epoch(), "the cosigner already signed bundle "
              + ValidationBundle.hashOf(logged).toHex() + " for this epoch; refusing "
              + bundle.hash().toHex());
        }
        return answer(bundle, log);
      }
      if (bundle.epoch() != size + 1) {
        throw new BundleRejectedException(BundleException.Reason.EPOCH_NOT_NEXT, "bundle epoch "
            + bundle.epoch() + " is not the next one; the cosigner's last epoch is " + size);
      }
      if (size > 0) {
        requireContinues(bundle, new String(log.entry(size - 1), StandardCharsets.UTF_8));
      }
      writer.append(List.of(entry));
      return answer(bundle, reader());
    } catch (TransparencyException e) {
      throw new BundleFaultException("cosigner log " + writer.directory() + ": "
          + e.getMessage(), e);
    }
  }

  private static void requireContinues(ValidationBundle bundle, String lastText)
      throws BundleException {
    ValidationBundle last = ValidationBundle.parse(lastText);
    if (!bundle.prev().equals(last.hash())) {
      throw new BundleRejectedException(BundleException.Reason.PREV_MISMATCH, "bundle prev "
          + bundle.prev().toHex() + " is not the hash of epoch " + last.epoch() + "'s bundle "
          + last.hash().toHex());
    }
    if (!bundle.fleetId().equals(last.fleetId())) {
      throw new BundleRejectedException(BundleException.Reason.FLEET_MISMATCH, "bundle is for fleet "
          + bundle.fleetId() + "; this log is for fleet " + last.fleetId());
    }
  }

  private CosignedBundle answer(ValidationBundle bundle, TileLogReader log)
      throws TransparencyException, BundleFaultException {
    Note note = SignedNotes.sign(bundle.toText(), List.of(signer));
    InclusionProof proof = log.inclusionProof(bundle.epoch() - 1, log.size());
    Path published = writer.directory().resolve("bundles").resolve(bundle.epoch() + ".note");
    try {
      DurableFiles.createDirectories(published.getParent());
      DurableFiles.replace(published, note.toBytes());
    } catch (IOException e) {
      throw new BundleFaultException("cannot publish " + published + ": " + e.getMessage(), e);
    }
    return CosignedBundle.of(note, bundle.epoch() - 1, log.signedCheckpoint(), proof);
  }

  private TileLogReader reader() throws TransparencyException {
    return TileLogReader.open(writer.directory(), key.name(), List.of(key.verifier()));
  }

  public VerifierKey verifierKey() {
    return key;
  }

  @Override
  public void close() {
    writer.close();
  }
}
