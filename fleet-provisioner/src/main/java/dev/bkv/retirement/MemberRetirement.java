package dev.bkv.retirement;

import dev.bkv.bundle.BundleMember;
import dev.bkv.evidence.Envelope;
import dev.bkv.evidence.EvidenceAssembler;
import dev.bkv.evidence.FleetKey;
import dev.bkv.evidence.InventoryEntry;
import dev.bkv.evidence.Json;
import dev.bkv.evidence.MalformedEvidenceException;
import dev.bkv.pkcs11.EcPrivateKey;
import dev.bkv.pkcs11.HsmException;
import dev.bkv.pkcs11.ObjectInfo;
import dev.bkv.pkcs11.Pkcs11Token;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * The member side of retiring an epoch, on the member's host: destroy every object under the
 * epoch's label prefix, read the token back and sign what is left with the identity key.
 *
 * <p>Crash-safe by a journal: before destroying anything it hands {@code journal} a signed
 * read-back of the token as it is (keys still present); run again after a crash, it finishes the
 * job, and on a token with nothing left under the prefix it only re-reads, provided the earlier
 * read-back (journal or final) is this member's for this epoch.
 */
public final class MemberRetirement {

  /** Where the read-back taken before destroying goes (the command's output file). */
  @FunctionalInterface
  public interface Journal {
    void write(Envelope readback) throws IOException;
  }

  private MemberRetirement() {}

  /**
   * Retires {@code epoch} of {@code fleetId} on {@code token} and returns the signed read-back.
   *
   * @param earlier the read-back an earlier run left (journal or final), or null
   */
  public static Envelope retire(Pkcs11Token token, String fleetId, long epoch, Clock clock,
      Envelope earlier, Journal journal) throws HsmException, RetirementException, IOException,
      MalformedEvidenceException {
    if (epoch < 1) {
      throw new RetirementException("epoch " + epoch + " cannot be retired; epochs start at 1");
    }
    String prefix = FleetKey.prefix(fleetId, epoch);
    EcPrivateKey identity = token.keys().findEcP256(FleetKey.MEMBER_IDENTITY);
    BundleMember me = new BundleMember(new String(identity.id(), StandardCharsets.UTF_8),
        EvidenceAssembler.publicHex(identity));
    TreeSet<String> held = labelsUnder(token.inventory(), prefix);
    TreeSet<String> destroyed = new TreeSet<>();
    if (earlier != null) {
      RetirementReadback before = readOwn(earlier, fleetId, epoch, me);
      destroyed.addAll(before.destroyed());
      before.inventory().stream().map(InventoryEntry::label).filter(l -> l.startsWith(prefix))
          .forEach(destroyed::add);
    } else if (held.isEmpty()) {
      throw new RetirementException("token " + token.info().label() + " holds no object under "
          + prefix + ": it has no keys of fleet " + fleetId + " epoch " + epoch
          + " to retire (and no earlier read-back of this retirement was given)");
    }
    if (!held.isEmpty()) {
      journal.write(sign(read(token, fleetId, epoch, me, prefix, destroyed, clock), identity));
      for (String label : held) {
        token.keys().destroyAll(label);
        destroyed.add(label);
      }
    }
    RetirementReadback after = read(token, fleetId, epoch, me, prefix, destroyed, clock);
    if (!after.left().isEmpty()) {
      throw new RetirementException("after destroying, token " + token.info().label()
          + " still holds " + after.left().get(0).describe() + " under " + prefix);
    }
    return sign(after, identity);
  }

  private static RetirementReadback readOwn(Envelope env, String fleetId, long epoch,
      BundleMember me) throws RetirementException, MalformedEvidenceException {
    RetirementReadback rb = Json.parse(env.payloadBytes(), RetirementReadback.class,
        "earlier read-back");
    if (!rb.fleetId().equals(fleetId) || rb.epoch() != epoch || !rb.memberId().equals(me.id())) {
      throw new RetirementException("the earlier read-back is of member " + rb.memberId()
          + ", fleet " + rb.fleetId() + " epoch " + rb.epoch() + "; this is member " + me.id()
          + " retiring fleet " + fleetId + " epoch " + epoch);
    }
    RetirementVerifier.signature(env, me.identityKey(), "earlier read-back");
    return rb;
  }

  private static RetirementReadback read(Pkcs11Token token, String fleetId, long epoch,
      BundleMember me, String prefix, TreeSet<String> destroyed, Clock clock)
      throws HsmException {
    List<ObjectInfo> objects = token.inventory();
    TreeSet<String> others = new TreeSet<>();
    for (ObjectInfo o : objects) {
      if (o.label().startsWith("fleet/") && !o.label().startsWith(prefix)) {
        others.add(o.label());
      }
    }
    List<InventoryEntry> inventory = objects.stream().map(InventoryEntry::of)
        .sorted(Comparator.comparing(InventoryEntry::sortKey)).toList();
    return new RetirementReadback(RetirementReadback.SCHEMA, fleetId, epoch, me.id(),
        me.identityKey(), prefix, token.info().description(),
        clock.instant().truncatedTo(ChronoUnit.SECONDS).toString(), List.copyOf(destroyed),
        List.copyOf(others), inventory);
  }

  private static Envelope sign(RetirementReadback rb, EcPrivateKey identity)
      throws HsmException, MalformedEvidenceException {
    Envelope env = new Envelope(RetirementReadback.PAYLOAD_TYPE,
        Base64.getEncoder().encodeToString(Json.canonical(rb)), List.of());
    return EvidenceAssembler.sign(env, identity);
  }

  private static TreeSet<String> labelsUnder(List<ObjectInfo> objects, String prefix) {
    TreeSet<String> out = new TreeSet<>();
    objects.stream().map(ObjectInfo::label).filter(l -> l.startsWith(prefix)).forEach(out::add);
    return out;
  }
}
