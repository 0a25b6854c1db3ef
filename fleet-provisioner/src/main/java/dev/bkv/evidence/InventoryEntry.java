package dev.bkv.evidence;

import dev.bkv.pkcs11.KeyUsage;
import dev.bkv.pkcs11.ObjectInfo;
import dev.bkv.pkcs11.PublicValue;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * One object of a token's inventory as read back. Attributes the token did not report are
 * {@code null}. {@code publicValue} is hex: the EC point, Ed25519 key or RSA modulus.
 */
public record InventoryEntry(String objectClass, String keyType, String label, String id,
                             String publicValue, Boolean token, Boolean privateObject,
                             Boolean local, Boolean sensitive, Boolean alwaysSensitive,
                             Boolean extractable, Boolean neverExtractable,
                             Boolean wrapWithTrusted, Boolean trusted, Boolean modifiable,
                             List<String> usages) {
  public InventoryEntry {
    Objects.requireNonNull(objectClass, "objectClass");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(id, "id");
    usages = List.copyOf(usages == null ? List.of() : usages);
  }

  public static InventoryEntry of(ObjectInfo o) {
    PublicValue pv = o.publicValue();
    return new InventoryEntry(o.objectClass().name(), o.keyType() == null ? null : o.keyType().name(),
        o.label(), o.idHex(), pv == null ? null : HexFormat.of().formatHex(pv.encoded()),
        o.tokenObject(), o.privateObject(), o.local(), o.sensitive(), o.alwaysSensitive(),
        o.extractable(), o.neverExtractable(), o.wrapWithTrusted(), o.trusted(), o.modifiable(),
        o.usages().stream().map(KeyUsage::name).sorted().toList());
  }

  /** Sort key: class, label, id. */
  public String sortKey() {
    return objectClass + "\u0000" + label + "\u0000" + id;
  }

  /** {@code PRIVATE_KEY 'fleet/dev/oprf'}. */
  public String describe() {
    return objectClass + " '" + label + "'";
  }
}
