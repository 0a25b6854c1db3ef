package dev.bkv.evidence;

import dev.bkv.crypto.Sha256;
import dev.bkv.pkcs11.ObjectClass;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The end state a finished ceremony must leave, checked on the read-back inventories alone (see
 * {@code docs/evidence.md}, "End-state rules"). Each problem names the member, object and rule;
 * the group wrap keys of the OPRF key shares are checked by {@link ShareKeyRules}.
 */
public final class EndStateRules {
  private EndStateRules() {}

  /**
   * Every problem found across all members of fleet {@code fleetId} at {@code epoch}; empty means
   * the end state is right. Keys of other epochs may sit beside this epoch's (a rollover on the
   * same HSMs); they must be sealed too, and are otherwise not this evidence's business.
   */
  public static List<String> check(String fleetId, long epoch, List<MemberStatement> members) {
    List<String> problems = new ArrayList<>();
    if (members.isEmpty()) {
      problems.add("the evidence lists no members");
      return problems;
    }
    Map<String, FleetKeyValue> first = new HashMap<>();
    String firstMember = members.get(0).memberId();
    Optional<ShareLayout> layout = ShareKeyRules.layout(fleetId, epoch, members, problems);
    for (MemberStatement m : members) {
      int shares = layout.map(l -> l.heldBy(m.memberId()).size()).orElse(m.shareKeys().size());
      checkMember(FleetKey.space(fleetId, epoch), m, shares, problems);
      for (FleetKeyValue v : m.fleetKeys()) {
        FleetKeyValue ref = first.putIfAbsent(v.label(), v);
        if (ref != null && !(Objects.equals(ref.publicValue(), v.publicValue())
            && ref.fingerprint().equals(v.fingerprint()) && ref.check().equals(v.check()))) {
          problems.add("member " + m.memberId() + ": fleet key '" + v.label() + "' has fingerprint "
              + v.fingerprint() + " but member " + firstMember + " has " + ref.fingerprint()
              + "; the fleet keys differ between members");
        }
      }
    }
    layout.ifPresent(l -> ShareKeyRules.check(l, members, problems));
    return problems;
  }

  /** {@code shares}: how many group wrap keys this member holds in the layout. */
  private static void checkMember(String space, MemberStatement m, int shares,
                                  List<String> problems) {
    String who = "member " + m.memberId() + ": ";
    Map<String, FleetKeyValue> values = new HashMap<>();
    for (FleetKeyValue v : m.fleetKeys()) {
      values.put(v.label(), v);
      if (v.publicValue() != null && !fingerprintMatches(v)) {
        problems.add(who + "fleet key '" + v.label() + "' fingerprint is not the SHA-256 of its public value");
      }
    }
    String fleetPrefix = FleetKey.prefix(space);
    int fleetObjects = 0;
    for (InventoryEntry e : m.inventory()) {
      if (Boolean.TRUE.equals(e.trusted())) {
        problems.add(who + e.describe() + " is CKA_TRUSTED; trusted transport objects must be destroyed");
      }
      if (e.label().startsWith(FleetKey.ceremonyPrefix(space))) {
        problems.add(who + e.describe() + " is a leftover ceremony object");
      }
      if (e.label().startsWith(fleetPrefix)) {
        fleetObjects++;
      }
      boolean secretHalf = e.objectClass().equals(ObjectClass.PRIVATE_KEY.name())
          || e.objectClass().equals(ObjectClass.SECRET_KEY.name());
      if (secretHalf && (e.label().startsWith("fleet/") || e.label().startsWith("member/")
          || e.label().equals(FleetKey.OPERATOR_COUNTERSIGN))) {
        if (!Boolean.FALSE.equals(e.extractable())) {
          problems.add(who + e.describe() + " is extractable (CKA_EXTRACTABLE=" + e.extractable() + ")");
        }
        if (!Boolean.TRUE.equals(e.sensitive())) {
          problems.add(who + e.describe() + " is not sensitive (CKA_SENSITIVE=" + e.sensitive() + ")");
        }
      }
    }
    int expected = shares;
    for (FleetKey k : FleetKey.values()) {
      String label = k.label(space);
      List<InventoryEntry> secret = find(m, k.objectClass(), label);
      expected += k.isEc() ? 2 : 1;
      if (secret.size() != 1) {
        problems.add(who + "has " + secret.size() + " " + k.objectClass() + " objects labelled '"
            + label + "'; expected exactly 1");
        continue;
      }
      if (!k.type().name().equals(secret.get(0).keyType())) {
        problems.add(who + "'" + label + "' is " + secret.get(0).keyType() + "; expected " + k.type());
      }
      FleetKeyValue v = values.get(label);
      if (v == null) {
        problems.add(who + "lists no value for fleet key '" + label + "'");
      } else if (k.isEc()) {
        List<InventoryEntry> pub = find(m, ObjectClass.PUBLIC_KEY, label);
        if (pub.size() != 1 || !Objects.equals(pub.get(0).publicValue(), v.publicValue())) {
          problems.add(who + "public key object '" + label + "' does not match the listed fleet public value");
        }
      }
    }
    if (fleetObjects != expected) {
      problems.add(who + "has " + fleetObjects + " objects under '" + fleetPrefix + "'; expected "
          + expected + " (6 for the fleet keys, " + shares + " group wrap keys)");
    }
    List<InventoryEntry> id = find(m, ObjectClass.PUBLIC_KEY, FleetKey.MEMBER_IDENTITY);
    if (id.size() != 1 || !m.identityKey().equals(id.get(0).publicValue())) {
      problems.add(who + "identity key in the inventory differs from the statement's identityKey");
    }
    if (find(m, ObjectClass.PRIVATE_KEY, FleetKey.MEMBER_IDENTITY).size() != 1) {
      problems.add(who + "has no private key '" + FleetKey.MEMBER_IDENTITY + "'");
    }
  }

  private static boolean fingerprintMatches(FleetKeyValue v) {
    try {
      return Sha256.hex(HexFormat.of().parseHex(v.publicValue())).equals(v.fingerprint());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static List<InventoryEntry> find(MemberStatement m, ObjectClass cls, String label) {
    return m.inventory().stream()
        .filter(e -> e.objectClass().equals(cls.name()) && e.label().equals(label)).toList();
  }
}
