package dev.bkv.transparency;

import static dev.bkv.transparency.MalformedInputException.Problem.BAD_KEY;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * "At least {@code threshold} of these witnesses cosigned the checkpoint": the policy an auditor
 * or an app applies to a log checkpoint before trusting it, so that a log showing different
 * views to different readers needs that many witnesses to collude.
 *
 * <p>Only C2SP tlog-cosignature cosignature/v1 keys (type 0x04) can be witnesses. Each witness
 * counts at most once however many lines it has; a line that does not verify does not count
 * (and is named in the result). The log's own signature is checked separately, with the log's
 * key ({@link Checkpoint#open}); it is never counted here. {@link #NONE} requires nothing.
 * Immutable.
 */
public final class WitnessPolicy {

  /** No witness required: every checkpoint passes. */
  public static final WitnessPolicy NONE = new WitnessPolicy(List.of(), 0);

  private final List<VerifierKey> witnesses;
  private final int threshold;

  private WitnessPolicy(List<VerifierKey> witnesses, int threshold) {
    this.witnesses = List.copyOf(witnesses);
    this.threshold = threshold;
  }

  /**
   * The policy "{@code threshold} of {@code witnesses}": every key must be a cosignature key,
   * no key may be given twice, and {@code 0 <= threshold <= witnesses.size()}.
   */
  public static WitnessPolicy of(List<VerifierKey> witnesses, int threshold)
      throws MalformedInputException {
    Set<String> labels = new HashSet<>();
    for (VerifierKey k : witnesses) {
      if (!k.isCosignature()) {
        throw new MalformedInputException(BAD_KEY, "witness key " + k.encode() + " has signature"
            + " type " + k.type() + "; a witness key must be an Ed25519 cosignature/v1 key"
            + " (type 0x04), as bkv witness init prints");
      }
      if (!labels.add(label(k))) {
        throw new MalformedInputException(BAD_KEY, "witness key " + label(k) + " is given twice");
      }
    }
    if (threshold < 0 || threshold > witnesses.size()) {
      throw new MalformedInputException(BAD_KEY, "witness threshold is " + threshold
          + "; expected 0 .. " + witnesses.size() + " (the number of witness keys given)");
    }
    return new WitnessPolicy(witnesses, threshold);
  }

  public List<VerifierKey> witnesses() {
    return witnesses;
  }

  public int threshold() {
    return threshold;
  }

  /** What a checkpoint carries from the policy's witnesses. */
  public record Count(int threshold, int witnesses, List<String> valid, List<String> invalid) {
    public Count {
      valid = List.copyOf(valid);
      invalid = List.copyOf(invalid);
    }

    public boolean satisfied() {
      return valid.size() >= threshold;
    }

    /** One line: how many valid cosignatures from which keys, against what was required. */
    public String describe() {
      String s = valid.size() + " valid cosignature" + (valid.size() == 1 ? "" : "s") + " from "
          + witnesses + " witness" + (witnesses == 1 ? "" : "es") + " given"
          + (valid.isEmpty() ? "" : " (" + String.join(", ", valid) + ")")
          + "; " + threshold + " required";
      return invalid.isEmpty() ? s : s + "; cosignatures that do not verify, not counted: "
          + String.join(", ", invalid);
    }
  }

  /** Counts the valid cosignatures by the policy's witnesses on a signed checkpoint. */
  public Count count(byte[] signedCheckpoint) throws MalformedInputException {
    Note note = Note.parse(signedCheckpoint, NoteLimits.DEFAULT);
    byte[] body = note.text().getBytes(StandardCharsets.UTF_8);
    List<String> valid = new ArrayList<>();
    List<String> invalid = new ArrayList<>();
    for (VerifierKey w : witnesses) {
      NoteVerifier v = w.verifier();
      boolean seen = false;
      boolean ok = false;
      for (NoteSignature s : note.signatures()) {
        if (s.name().equals(w.name()) && s.keyId() == w.keyId()) {
          seen = true;
          ok = ok || v.verify(body, s.signature());
        }
      }
      if (ok) {
        valid.add(label(w));
      } else if (seen) {
        invalid.add(label(w));
      }
    }
    return new Count(threshold, witnesses.size(), valid, invalid);
  }

  /**
   * Requires the threshold: returns the count, or throws NOT_ENOUGH_COSIGNATURES naming how
   * many valid cosignatures were found from which keys.
   */
  public Count require(byte[] signedCheckpoint) throws TransparencyException {
    Count c = count(signedCheckpoint);
    if (!c.satisfied()) {
      throw new VerificationFailedException(
          VerificationFailedException.Reason.NOT_ENOUGH_COSIGNATURES,
          "checkpoint has " + c.describe());
    }
    return c;
  }

  private static String label(VerifierKey k) {
    return k.name() + "+" + dev.bkv.transparency.internal.NoteSyntax.keyIdHex(k.keyId());
  }

  @Override
  public String toString() {
    return "WitnessPolicy[" + threshold + " of " + witnesses.size() + "]";
  }
}
