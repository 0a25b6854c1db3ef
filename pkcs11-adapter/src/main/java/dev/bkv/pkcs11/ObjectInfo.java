package dev.bkv.pkcs11;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;

/**
 * One object on a token as read back, for the inventory and deployment evidence. Attributes that
 * do not apply to the object's class (or that the token does not report) are {@code null}.
 *
 * @param objectClass      {@code CKA_CLASS}
 * @param keyType          {@code CKA_KEY_TYPE} (and curve), {@code null} for non-keys
 * @param label            {@code CKA_LABEL}, empty if none
 * @param id               {@code CKA_ID}, empty if none
 * @param publicValue      EC point, Ed25519 key or RSA modulus of public and private keys if
 *                         readable; {@code null} otherwise
 * @param tokenObject      {@code CKA_TOKEN}
 * @param privateObject    {@code CKA_PRIVATE}
 * @param local            {@code CKA_LOCAL}: generated on this token
 * @param sensitive        {@code CKA_SENSITIVE}
 * @param alwaysSensitive  {@code CKA_ALWAYS_SENSITIVE}
 * @param extractable      {@code CKA_EXTRACTABLE}
 * @param neverExtractable {@code CKA_NEVER_EXTRACTABLE}
 * @param wrapWithTrusted  {@code CKA_WRAP_WITH_TRUSTED}
 * @param trusted          {@code CKA_TRUSTED}
 * @param modifiable       {@code CKA_MODIFIABLE}
 * @param usages           usage attributes that are true
 */
public record ObjectInfo(ObjectClass objectClass, KeyType keyType, String label, byte[] id,
                         PublicValue publicValue, Boolean tokenObject, Boolean privateObject,
                         Boolean local, Boolean sensitive, Boolean alwaysSensitive,
                         Boolean extractable, Boolean neverExtractable, Boolean wrapWithTrusted,
                         Boolean trusted, Boolean modifiable, Set<KeyUsage> usages) {
  public ObjectInfo {
    Objects.requireNonNull(objectClass, "objectClass");
    Objects.requireNonNull(label, "label");
    id = Objects.requireNonNull(id, "id").clone();
    usages = Set.copyOf(usages);
  }

  @Override
  public byte[] id() {
    return id.clone();
  }

  /** {@code CKA_ID} as lower-case hex. */
  public String idHex() {
    return HexFormat.of().formatHex(id);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ObjectInfo i && i.objectClass == objectClass && i.keyType == keyType
        && i.label.equals(label) && Arrays.equals(i.id, id)
        && Objects.equals(i.publicValue, publicValue) && Objects.equals(i.tokenObject, tokenObject)
        && Objects.equals(i.privateObject, privateObject) && Objects.equals(i.local, local)
        && Objects.equals(i.sensitive, sensitive) && Objects.equals(i.alwaysSensitive, alwaysSensitive)
        && Objects.equals(i.extractable, extractable)
        && Objects.equals(i.neverExtractable, neverExtractable)
        && Objects.equals(i.wrapWithTrusted, wrapWithTrusted) && Objects.equals(i.trusted, trusted)
        && Objects.equals(i.modifiable, modifiable) && i.usages.equals(usages);
  }

  @Override
  public int hashCode() {
    return Objects.hash(objectClass, keyType, label, Arrays.hashCode(id), publicValue, usages);
  }

  @Override
  public String toString() {
    return "ObjectInfo[" + objectClass + " " + keyType + " '" + label + "' id=" + idHex()
        + " local=" + local + " sensitive=" + sensitive + " alwaysSensitive=" + alwaysSensitive
        + " extractable=" + extractable + " neverExtractable=" + neverExtractable
        + " wrapWithTrusted=" + wrapWithTrusted + " trusted=" + trusted
        + " modifiable=" + modifiable + " usages=" + usages + " public=" + publicValue + "]";
  }
}
