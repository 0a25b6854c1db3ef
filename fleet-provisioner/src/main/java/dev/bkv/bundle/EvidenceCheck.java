package dev.bkv.bundle;

import dev.bkv.evidence.Envelope;
import dev.bkv.evidence.EvidenceException;
import dev.bkv.evidence.EvidenceVerifier;
import dev.bkv.evidence.Json;
import dev.bkv.evidence.MalformedEvidenceException;

/**
 * What the cosigner checks about the deployment evidence itself, before it checks that the
 * bundle is bound to it ({@link EvidenceFacts#requireMatches}).
 *
 * <p>Contract: {@link #check} returns only if the evidence is acceptable, and throws a
 * {@link BundleException} naming the first problem otherwise.
 */
@FunctionalInterface
public interface EvidenceCheck {

  void check(byte[] envelope) throws BundleException;

  /**
   * Full offline verification ({@code bkv evidence verify}): payload type and schema, every
   * member's and the operator's DSSE signature, proofs of possession, end-state rules.
   */
  EvidenceCheck VERIFIER = envelope -> {
    try {
      EvidenceVerifier.verify(Json.parse(envelope, Envelope.class, "evidence envelope"))
          .requireValid();
    } catch (MalformedEvidenceException e) {
      throw new MalformedBundleException(e.getMessage(), e);
    } catch (EvidenceException e) {
      throw new BundleRejectedException(BundleException.Reason.EVIDENCE_INVALID,
          e.getMessage(), e);
    }
  };

  /** No check of the evidence's signatures: for callers that verified it elsewhere, and tests. */
  EvidenceCheck BINDING_ONLY = envelope -> { };
}
