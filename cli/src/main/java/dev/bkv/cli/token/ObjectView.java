package dev.bkv.cli.token;

import dev.bkv.pkcs11.KeyUsage;
import dev.bkv.pkcs11.ObjectInfo;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The inventory entry as shown by {@code bkv token objects}: hex values, named attributes. */
record ObjectView(String objectClass, String keyType, String label, String id, String publicValue,
                  Map<String, Boolean> attributes, List<String> usages) {

  static ObjectView of(ObjectInfo o) {
    Map<String, Boolean> a = new LinkedHashMap<>();
    put(a, "CKA_TOKEN", o.tokenObject());
    put(a, "CKA_PRIVATE", o.privateObject());
    put(a, "CKA_LOCAL", o.local());
    put(a, "CKA_SENSITIVE", o.sensitive());
    put(a, "CKA_ALWAYS_SENSITIVE", o.alwaysSensitive());
    put(a, "CKA_EXTRACTABLE", o.extractable());
    put(a, "CKA_NEVER_EXTRACTABLE", o.neverExtractable());
    put(a, "CKA_WRAP_WITH_TRUSTED", o.wrapWithTrusted());
    put(a, "CKA_TRUSTED", o.trusted());
    put(a, "CKA_MODIFIABLE", o.modifiable());
    return new ObjectView(o.objectClass().name(), o.keyType() == null ? null : o.keyType().name(),
        o.label(), o.idHex(),
        o.publicValue() == null ? null : HexFormat.of().formatHex(o.publicValue().encoded()),
        a, o.usages().stream().map(KeyUsage::name).sorted().toList());
  }

  private static void put(Map<String, Boolean> m, String name, Boolean value) {
    if (value != null) {
      m.put(name, value);
    }
  }

  /** One line of flags for the human-readable table, e.g. {@code sensitive never-extractable}. */
  String flagLine() {
    StringBuilder b = new StringBuilder();
    attributes.forEach((name, value) -> {
      if (!name.equals("CKA_TOKEN") && !name.equals("CKA_MODIFIABLE")) {
        String shortName = name.substring(4).toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        b.append(b.length() == 0 ? "" : " ").append(value ? "" : "!").append(shortName);
      }
    });
    return b.toString();
  }
}
