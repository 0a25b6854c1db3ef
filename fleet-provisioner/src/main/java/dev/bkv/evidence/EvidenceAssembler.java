package dev.bkv.evidence;

import dev.bkv.crypto.EcdsaP256;
import dev.bkv.crypto.Sha256;
import dev.bkv.pkcs11.EcPrivateKey;
import dev.bkv.pkcs11.HsmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * Builds the evidence payload from the members' signed read-backs and adds DSSE signatures.
 * Deterministic: the same read-backs, time and software version give the same payload bytes.
 */
public final class EvidenceAssembler {
  private EvidenceAssembler() {}

  /**
   * The payload from the split ceremony's read-backs: each read-back's transcript in the order
   * given (genesis first). See {@link #assemble(String, long, Instant, SoftwareVersion,
   * OperatorKey, List, List)}.
   */
  public static EvidencePayload assemble(String fleetId, long epoch, Instant time,
                                         SoftwareVersion software, OperatorKey operator,
                                         List<MemberReadback> readbacks)
      throws EvidenceVerificationException {
    List<TranscriptEntry> transcript = new ArrayList<>();
    List<MemberSection> sections = new ArrayList<>();
    for (MemberReadback r : readbacks) {
      transcript.addAll(r.transcript());
      sections.add(r.section());
    }
    return assemble(fleetId, epoch, time, software, operator, sections, transcript);
  }

  /**
   * The payload, members sorted by id.
   *
   * @throws EvidenceVerificationException if a proof of possession fails or the end-state rules
   *                                       do not hold; nobody should sign such a payload
   */
  public static EvidencePayload assemble(String fleetId, long epoch, Instant time,
                                         SoftwareVersion software, OperatorKey operator,
                                         List<MemberSection> members,
                                         List<TranscriptEntry> transcript)
      throws EvidenceVerificationException {
    List<MemberSection> sections = new ArrayList<>(members);
    for (MemberSection s : sections) {
      if (!MemberStatements.proofVerifies(s)) {
        throw new EvidenceVerificationException("member " + s.statement().memberId()
            + ": proof of possession does not verify; the read-back was altered");
      }
      if (!s.statement().fleetId().equals(fleetId) || s.statement().epoch() != epoch) {
        throw new EvidenceVerificationException("member " + s.statement().memberId()
            + ": read-back is for fleet " + s.statement().fleetId() + " epoch " + s.statement().epoch()
            + "; expected fleet " + fleetId + " epoch " + epoch);
      }
    }
    sections.sort(Comparator.comparing(s -> s.statement().memberId()));
    List<String> problems = EndStateRules.check(fleetId, epoch,
        sections.stream().map(MemberSection::statement).toList());
    if (!problems.isEmpty()) {
      throw new EvidenceVerificationException("end state check failed before signing: "
          + problems.get(0) + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""));
    }
    return new EvidencePayload(EvidencePayload.SCHEMA, fleetId, epoch,
        time.truncatedTo(ChronoUnit.SECONDS).toString(), software, operator, transcript, sections);
  }

  /** {@code env} plus {@code key}'s signature over its PAE, made in the HSM. */
  public static Envelope sign(Envelope env, EcPrivateKey key)
      throws HsmException, MalformedEvidenceException {
    byte[] der = EcdsaP256.derFromRaw(key.signEcdsa(env.pae()));
    return env.withSignature(keyId(key), der);
  }

  /** The DSSE keyid of a signing key: SHA-256 (hex) of its 65-byte public point. */
  public static String keyId(EcPrivateKey key) throws HsmException {
    return Sha256.hex(key.publicKey().point());
  }

  /** Hex of a key's public point, as evidence lists it. */
  public static String publicHex(EcPrivateKey key) throws HsmException {
    return HexFormat.of().formatHex(key.publicKey().point());
  }
}
