package dev.bkv.evidence;

import dev.bkv.pkcs11.HsmException;
import dev.bkv.pkcs11.Pkcs11Token;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Compares evidence with a token as it is now: the token is matched to its member by serial
 * (and label, for a token without a serial of its own such as NSS softokn), read back again (fleet key checks run in the HSM) and compared object by object.
 */
public final class LiveCheck {
  private LiveCheck() {}

  /** Differences between the member's statement in {@code payload} and {@code token} now. */
  public static List<String> compare(EvidencePayload payload, Pkcs11Token token) throws HsmException {
    String serial = token.info().serial();
    String label = token.info().label();
    MemberStatement recorded = payload.members().stream().map(MemberSection::statement)
        .filter(m -> m.token().serial().equals(serial))
        .filter(m -> EvidenceVerifier.hasSerial(m.token()) || m.token().label().equals(label))
        .findFirst().orElse(null);
    if (recorded == null) {
      return List.of("token " + token.description() + " (serial " + serial
          + ") is not a member in the evidence");
    }
    MemberStatement live = MemberStatements.read(token, payload.fleetId(), payload.epoch(), recorded.role());
    return differences(recorded, live);
  }

  /** Differences between a recorded statement and a fresh read-back of the same token. */
  public static List<String> differences(MemberStatement recorded, MemberStatement live) {
    String who = "member " + recorded.memberId() + " (live): ";
    List<String> out = new ArrayList<>();
    if (!recorded.token().equals(live.token())) {
      out.add(who + "token info is " + live.token() + "; evidence says " + recorded.token());
    }
    if (!recorded.identityKey().equals(live.identityKey())) {
      out.add(who + "identity key differs from the evidence");
    }
    if (!recorded.fleetKeys().equals(live.fleetKeys())) {
      out.add(who + "fleet key values differ from the evidence");
    }
    if (!recorded.shareKeys().equals(live.shareKeys())) {
      out.add(who + "group wrap keys or their check values differ from the evidence: now "
          + live.shareKeys().stream().map(v -> v.set() + "=" + v.checkValue()).toList());
    }
    Map<String, InventoryEntry> now = index(live.inventory());
    Map<String, InventoryEntry> then = index(recorded.inventory());
    for (Map.Entry<String, InventoryEntry> e : then.entrySet()) {
      InventoryEntry n = now.get(e.getKey());
      if (n == null) {
        out.add(who + e.getValue().describe() + " is in the evidence but no longer on the token");
      } else if (!Objects.equals(n, e.getValue())) {
        out.add(who + e.getValue().describe() + " attributes changed: now " + n);
      }
    }
    for (Map.Entry<String, InventoryEntry> e : now.entrySet()) {
      if (!then.containsKey(e.getKey())) {
        out.add(who + e.getValue().describe() + " is on the token but not in the evidence");
      }
    }
    return out;
  }

  private static Map<String, InventoryEntry> index(List<InventoryEntry> entries) {
    Map<String, InventoryEntry> m = new LinkedHashMap<>();
    for (InventoryEntry e : entries) {
      m.put(e.sortKey(), e);
    }
    return m;
  }
}
