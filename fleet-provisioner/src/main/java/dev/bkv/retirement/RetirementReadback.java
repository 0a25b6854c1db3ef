package dev.bkv.retirement;

import dev.bkv.evidence.InventoryEntry;
import dev.bkv.pkcs11.TokenDescription;
import java.util.List;
import java.util.Objects;

/**
 * What one member's token holds after it destroyed an epoch's keys, read back from the token and
 * signed (DSSE, {@link #PAYLOAD_TYPE}) by the member's identity key.
 *
 * @param prefix         the label prefix of the retired epoch's keys
 * @param destroyed      labels of the objects destroyed under {@code prefix}, sorted
 * @param otherEpochKeys labels of fleet keys of other epochs still on the token, sorted
 * @param inventory      every object on the token afterwards, sorted; none under {@code prefix}
 */
public record RetirementReadback(String schema, String fleetId, long epoch, String memberId,
    String identityKey, String prefix, TokenDescription token, String time,
    List<String> destroyed, List<String> otherEpochKeys, List<InventoryEntry> inventory) {

  public static final String SCHEMA = "bkv.dev/retirement-readback/v1";
  public static final String PAYLOAD_TYPE = "application/vnd.bkv.retirement-readback+json";

  public RetirementReadback {
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(fleetId, "fleetId");
    Objects.requireNonNull(memberId, "memberId");
    Objects.requireNonNull(identityKey, "identityKey");
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(time, "time");
    destroyed = List.copyOf(destroyed == null ? List.of() : destroyed);
    otherEpochKeys = List.copyOf(otherEpochKeys == null ? List.of() : otherEpochKeys);
    inventory = List.copyOf(Objects.requireNonNull(inventory, "inventory"));
  }

  /** Objects of the inventory still under {@link #prefix}. */
  public List<InventoryEntry> left() {
    return inventory.stream().filter(o -> o.label().startsWith(prefix)).toList();
  }
}
