package dev.bkv.retirement;

import dev.bkv.bundle.BundleMember;
import dev.bkv.bundle.ValidationBundle;
import dev.bkv.crypto.Sha256;
import dev.bkv.evidence.Envelope;
import dev.bkv.evidence.EvidenceAssembler;
import dev.bkv.evidence.Json;
import dev.bkv.evidence.MalformedEvidenceException;
import dev.bkv.pkcs11.EcPrivateKey;
import dev.bkv.pkcs11.HsmException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The operator side of retiring an epoch: the records policy, then every member of the epoch's
 * bundle must have sent a valid signed read-back; the statement binding them is signed in the
 * operator's HSM (DSSE, as the deployment evidence).
 */
public final class OperatorRetirement {
  private OperatorRetirement() {}

  /**
   * Refuses an epoch that still holds records unless {@code confirmed}: the operator's policy
   * is that such an epoch is not retired.
   */
  public static void requireNoRecords(long epoch, long records, boolean confirmed)
      throws RetirementException {
    if (records < 0) {
      throw new RetirementException("record count is " + records + "; expected >= 0");
    }
    if (records > 0 && !confirmed) {
      throw new RetirementException("epoch " + epoch + " still holds " + records + " record"
          + (records == 1 ? "" : "s") + "; an epoch with records is not retired (move them to"
          + " the new epoch first, or confirm explicitly)");
    }
  }

  /** Checks the read-backs against {@code bundle}, then signs the statement. */
  public static RetirementFile assemble(ValidationBundle bundle, List<Envelope> readbacks,
      long records, boolean confirmed, EcPrivateKey operatorKey, Clock clock)
      throws RetirementException, MalformedEvidenceException, HsmException {
    requireNoRecords(bundle.epoch(), records, confirmed);
    Map<String, Envelope> byMember = new TreeMap<>();
    for (Envelope rb : readbacks) {
      String id = Json.parse(rb.payloadBytes(), RetirementReadback.class, "read-back").memberId();
      if (byMember.put(id, rb) != null) {
        throw new RetirementException("two read-backs of member " + id + " were given");
      }
    }
    List<RetirementStatement.Member> members = new ArrayList<>();
    List<Envelope> ordered = new ArrayList<>();
    for (BundleMember m : bundle.members()) {
      Envelope rb = byMember.remove(m.id());
      if (rb == null) {
        throw new RetirementException("member " + m.id() + " of epoch " + bundle.epoch()
            + " sent no read-back; every member must retire the epoch's keys first");
      }
      RetirementVerifier.verifyReadback(rb, bundle.fleetId(), bundle.epoch(), m);
      String keyid = Sha256.hex(java.util.HexFormat.of().parseHex(m.identityKey()));
      String sig = rb.signatures().stream().filter(s -> s.keyid().equals(keyid))
          .findFirst().orElseThrow().sig();
      members.add(new RetirementStatement.Member(m.id(), m.identityKey(),
          Sha256.hex(rb.payloadBytes()), sig));
      ordered.add(rb);
    }
    if (!byMember.isEmpty()) {
      throw new RetirementException("read-back of " + byMember.keySet().iterator().next()
          + ", which is not a member of epoch " + bundle.epoch());
    }
    RetirementStatement st = new RetirementStatement(RetirementStatement.SCHEMA,
        bundle.fleetId(), bundle.epoch(), bundle.hash().toHex(), records,
        clock.instant().truncatedTo(ChronoUnit.SECONDS).toString(),
        EvidenceAssembler.publicHex(operatorKey), members);
    Envelope env = new Envelope(RetirementStatement.PAYLOAD_TYPE,
        Base64.getEncoder().encodeToString(Json.canonical(st)), List.of());
    return new RetirementFile(RetirementFile.FORMAT, EvidenceAssembler.sign(env, operatorKey),
        ordered);
  }
}
