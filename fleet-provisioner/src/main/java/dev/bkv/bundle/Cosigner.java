package dev.bkv.bundle;

import dev.bkv.transparency.DurableFiles;
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
 * <p>The log is the cosigner's only state. It holds bundles in epoch order and, between them,
 * retirements ({@link RetirementEntry}): epoch {@code n}'s bundle is the {@code n}-th bundle,
 * at leaf {@code n - 1} or later. It signs epoch {@code n} only when the log holds {@code n - 1}
 * bundles, the new {@code prev}
 * is the hash of the last one and the fleet id is the same. Asking again for an epoch already
 * logged returns the same answer when the text is identical (Ed25519 is deterministic) and is
 * refused as equivocation otherwise. The append is the commit point: a crash after it and before
 * the answer is written is repaired by asking again. Signed bundle notes are also published as
 * {@code bundles/<epoch>.note} beside the tiles for auditors; retirements as
 * {@code retirements/<epoch>.note}, with the statement they name ({@code retirements/<epoch>.json}).
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
      return LogEntries.read(reader()).lastEpoch();
    } catch (TransparencyException e) {
      throw new BundleFaultException("cosigner log unreadable: " + e.getMessage(), e);
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
      TileLogReader log = reader();
      LogEntries entries = LogEntries.read(log);
      long size = entries.lastEpoch();
      if (bundle.epoch() <= size) {
        long leaf = entries.bundleLeaf(bundle.epoch());
        byte[] logged = log.entry(leaf);
        if (!Arrays.equals(logged, entry)) {
          throw new EquivocationException(bundle.epoch(), "the cosigner already signed bundle "
              + ValidationBundle.hashOf(logged).toHex() + " for this epoch; refusing "
              + bundle.hash().toHex());
        }
        return answer(bundle, leaf, log);
      }
      if (bundle.epoch() != size + 1) {
        throw new BundleRejectedException(BundleException.Reason.EPOCH_NOT_NEXT, "bundle epoch "
            + bundle.epoch() + " is not the next one; the cosigner's last epoch is " + size);
      }
      if (size > 0) {
        requireContinues(bundle, entries.text(entries.bundleLeaf(size)));
      }
      writer.append(List.of(entry));
      return answer(bundle, log.size(), reader());
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

  /**
   * Logs the retirement of an epoch: the epoch's bundle must be in the log and not retired yet,
   * the entry must name that bundle's hash and fleet, and {@code check} must accept the
   * statement behind it (its hash, the members' read-backs and the operator's signature).
   * {@code statement} (the retirement file holding them) is published beside the signed note. Asking
   * again with the identical entry gives the same answer; another entry for a retired epoch is
   * refused.
   */
  public CosignedBundle retire(RetirementEntry retirement, byte[] statement, RetirementCheck check)
      throws BundleException {
    byte[] entry = retirement.toText().getBytes(StandardCharsets.UTF_8);
    try {
      TileLogReader log = reader();
      LogEntries entries = LogEntries.read(log);
      long bundleLeaf = entries.bundleLeaf(retirement.epoch());
      if (bundleLeaf < 0) {
        throw new BundleRejectedException(BundleException.Reason.EPOCH_RETIRED, "epoch "
            + retirement.epoch() + " is not in the log (last epoch " + entries.lastEpoch()
            + "); only a logged epoch can be retired");
      }
      long retiredAt = entries.retirementLeaf(retirement.epoch());
      if (retiredAt >= 0) {
        if (!Arrays.equals(log.entry(retiredAt), entry)) {
          throw new BundleRejectedException(BundleException.Reason.EPOCH_RETIRED, "epoch "
              + retirement.epoch() + " was retired already at leaf " + retiredAt
              + " by another statement; refusing " + retirement.statement().toHex());
        }
        return answerRetirement(retirement, statement, retiredAt, log);
      }
      ValidationBundle retired = ValidationBundle.parse(entries.text(bundleLeaf));
      if (!retired.hash().equals(retirement.bundle()) || !retired.fleetId().equals(retirement.fleetId())) {
        throw new BundleRejectedException(BundleException.Reason.RETIREMENT_INVALID,
            "retirement names bundle " + retirement.bundle().toHex() + " of fleet "
            + retirement.fleetId() + "; the log holds " + retired.hash().toHex() + " of fleet "
            + retired.fleetId() + " for epoch " + retirement.epoch());
      }
      check.check(retirement, retired);
      writer.append(List.of(entry));
      return answerRetirement(retirement, statement, log.size(), reader());
    } catch (TransparencyException e) {
      throw new BundleFaultException("cosigner log " + writer.directory() + ": "
          + e.getMessage(), e);
    }
  }

  private CosignedBundle answer(ValidationBundle bundle, long leaf, TileLogReader log)
      throws TransparencyException, BundleFaultException {
    Note note = SignedNotes.sign(bundle.toText(), List.of(signer));
    publish("bundles", bundle.epoch() + ".note", note.toBytes());
    return CosignedBundle.of(note, leaf, log.signedCheckpoint(), log.inclusionProof(leaf,
        log.size()));
  }

  private CosignedBundle answerRetirement(RetirementEntry retirement, byte[] statement, long leaf,
      TileLogReader log) throws TransparencyException, BundleFaultException {
    Note note = SignedNotes.sign(retirement.toText(), List.of(signer));
    publish("retirements", retirement.epoch() + ".json", statement);
    publish("retirements", retirement.epoch() + ".note", note.toBytes());
    return CosignedBundle.of(note, leaf, log.signedCheckpoint(), log.inclusionProof(leaf,
        log.size()));
  }

  private void publish(String dir, String name, byte[] bytes) throws BundleFaultException {
    Path published = writer.directory().resolve(dir).resolve(name);
    try {
      DurableFiles.createDirectories(published.getParent());
      DurableFiles.replace(published, bytes);
    } catch (IOException e) {
      throw new BundleFaultException("cannot publish " + published + ": " + e.getMessage(), e);
    }
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
