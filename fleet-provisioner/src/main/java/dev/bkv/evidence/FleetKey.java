package dev.bkv.evidence;

import dev.bkv.pkcs11.KeyType;
import dev.bkv.pkcs11.KeyUsage;
import dev.bkv.pkcs11.ObjectClass;
import java.util.Set;

/**
 * The four fleet keys of DESIGN.md §3, labelled {@code fleet/<key space>/<suffix>}, and the other
 * labels the ceremony uses. A fleet's key space is its id for epoch 1 and {@code <id>@<epoch>} for
 * later epochs, so a member HSM can hold a new epoch's keys beside the old ones during a rollover.
 */
public enum FleetKey {
  /** {@code k_fleet}, the OPRF multiplier. */
  OPRF("oprf", KeyType.EC_P256, ObjectClass.PRIVATE_KEY, Set.of(KeyUsage.DERIVE)),
  /** RFC 9807 {@code oprf_seed}, HMAC-SHA256. */
  OPRF_SEED("oprf-seed", KeyType.GENERIC_SECRET, ObjectClass.SECRET_KEY, Set.of(KeyUsage.SIGN)),
  /** The server's long-term 3DH key: the key clients pin. */
  AKE("ake", KeyType.EC_P256, ObjectClass.PRIVATE_KEY, Set.of(KeyUsage.DERIVE)),
  /** Seals stored records at rest (AES-256-GCM). */
  RECORD("record", KeyType.AES, ObjectClass.SECRET_KEY, Set.of(KeyUsage.ENCRYPT, KeyUsage.DECRYPT));

  /** The member's identity key (ECDSA P-256, sign only); its CKA_ID is the member id (UTF-8). */
  public static final String MEMBER_IDENTITY = "member/identity";
  /** The member's RSA transport key (unwrap only). */
  public static final String MEMBER_TRANSPORT = "member/transport";
  /** The operator's key that signs evidence. */
  public static final String OPERATOR_COUNTERSIGN = "operator/countersign";

  private final String suffix;
  private final KeyType type;
  private final ObjectClass objectClass;
  private final Set<KeyUsage> usages;

  FleetKey(String suffix, KeyType type, ObjectClass objectClass, Set<KeyUsage> usages) {
    this.suffix = suffix;
    this.type = type;
    this.objectClass = objectClass;
    this.usages = usages;
  }

  /** The label in a key space ({@link #space}). */
  public String label(String space) {
    return prefix(space) + suffix;
  }

  /** The label of this key of fleet {@code fleetId} at {@code epoch}. */
  public String label(String fleetId, long epoch) {
    return label(space(fleetId, epoch));
  }

  public KeyType type() {
    return type;
  }

  /** Class of the secret half (private or secret key). */
  public ObjectClass objectClass() {
    return objectClass;
  }

  public Set<KeyUsage> usages() {
    return usages;
  }

  public boolean isEc() {
    return type == KeyType.EC_P256;
  }

  /** The key space of fleet {@code fleetId} at {@code epoch} ({@link KeySpace#of}). */
  public static String space(String fleetId, long epoch) {
    return KeySpace.of(fleetId, epoch);
  }

  /** {@code fleet/<space>/}: every key of one fleet epoch starts so. */
  public static String prefix(String space) {
    return KeySpace.prefix(space);
  }

  /** {@code fleet/<space>/} of fleet {@code fleetId} at {@code epoch}. */
  public static String prefix(String fleetId, long epoch) {
    return prefix(space(fleetId, epoch));
  }

  /** Labels of the genesis token's temporary trusted objects: {@code ceremony/<space>/}. */
  public static String ceremonyPrefix(String space) {
    return "ceremony/" + requireSpace(space) + "/";
  }

  /** Checks a key space ({@link KeySpace#require}). */
  public static String requireSpace(String space) {
    return KeySpace.require(space);
  }

  /** Checks a fleet id ({@link KeySpace#requireFleetId}). */
  public static String requireFleetId(String fleetId) {
    return KeySpace.requireFleetId(fleetId);
  }
}
