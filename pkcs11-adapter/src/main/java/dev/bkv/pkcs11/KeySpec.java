package dev.bkv.pkcs11;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What to create: label, {@code CKA_ID}, usages, and whether the key is a <em>ceremony</em> key.
 * Every key bkv creates is {@code CKA_TOKEN=true, CKA_PRIVATE=true, CKA_SENSITIVE=true}
 * (secret parts); a normal key is {@code CKA_EXTRACTABLE=false}, a ceremony key is
 * {@code CKA_EXTRACTABLE=true, CKA_WRAP_WITH_TRUSTED=true} so that it can only leave the token
 * wrapped under a key the security officer marked trusted, and is sealed afterwards.
 *
 * @param label    {@code CKA_LABEL}, unique on the token
 * @param id       {@code CKA_ID}; empty means "generate a random 16-byte id"
 * @param usages   permitted usages; anything not listed is set to false explicitly
 * @param ceremony extractable only under a trusted wrapping key (see above)
 * @param persistent {@code CKA_TOKEN}: false makes a session object that disappears when the
 *                 process ends (used for transient transport keys)
 */
public record KeySpec(String label, byte[] id, Set<KeyUsage> usages, boolean ceremony,
                      boolean persistent) {

  public KeySpec {
    Objects.requireNonNull(label, "label");
    if (label.isEmpty() || label.length() > 128) {
      throw new IllegalArgumentException("key label must be 1..128 characters: '" + label + "'");
    }
    id = Objects.requireNonNull(id, "id").clone();
    if (id.length > 64) {
      throw new IllegalArgumentException("CKA_ID is " + id.length + " bytes; expected at most 64");
    }
    usages = Collections.unmodifiableSet(usages.isEmpty()
        ? EnumSet.noneOf(KeyUsage.class) : EnumSet.copyOf(usages));
  }

  /** A persistent, non-extractable key with a random id. */
  public static KeySpec of(String label, KeyUsage first, KeyUsage... more) {
    return new KeySpec(label, new byte[0], EnumSet.of(first, more), false, true);
  }

  /** The same spec as a ceremony key (extractable under a trusted key only). */
  public KeySpec asCeremony() {
    return new KeySpec(label, id, usages, true, persistent);
  }

  /** The same spec with {@code CKA_ID = id}. */
  public KeySpec withId(byte[] newId) {
    return new KeySpec(label, newId, usages, ceremony, persistent);
  }

  /** The same spec as a session object (gone when the process ends or the pool reconnects). */
  public KeySpec sessionOnly() {
    return new KeySpec(label, id, usages, ceremony, false);
  }

  @Override
  public byte[] id() {
    return id.clone();
  }

  public boolean allows(KeyUsage u) {
    return usages.contains(u);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeySpec k && k.label.equals(label) && java.util.Arrays.equals(k.id, id)
        && k.usages.equals(usages) && k.ceremony == ceremony && k.persistent == persistent;
  }

  @Override
  public int hashCode() {
    return Objects.hash(label, java.util.Arrays.hashCode(id), usages, ceremony, persistent);
  }

  @Override
  public String toString() {
    return "KeySpec[" + label + ", id=" + java.util.HexFormat.of().formatHex(id) + ", " + usages
        + (ceremony ? ", ceremony" : "") + (persistent ? "" : ", session-only") + "]";
  }
}
