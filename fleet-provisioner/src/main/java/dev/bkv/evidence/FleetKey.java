package dev.bkv.evidence;

import dev.bkv.pkcs11.KeyType;
import dev.bkv.pkcs11.KeyUsage;
import dev.bkv.pkcs11.ObjectClass;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The four fleet keys of DESIGN.md §3, labelled {@code fleet/<fleet id>/<suffix>}, and the other
 * labels the ceremony uses.
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
  private static final Pattern FLEET_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,31}");

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

  public String label(String fleetId) {
    return prefix(fleetId) + suffix;
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

  /** {@code fleet/<id>/}. */
  public static String prefix(String fleetId) {
    return "fleet/" + requireFleetId(fleetId) + "/";
  }

  /** Labels of the genesis token's temporary trusted objects: {@code ceremony/<id>/}. */
  public static String ceremonyPrefix(String fleetId) {
    return "ceremony/" + requireFleetId(fleetId) + "/";
  }

  /** Checks a fleet id: 1..32 of {@code a-z 0-9 . _ -}, starting with a letter or digit. */
  public static String requireFleetId(String fleetId) {
    if (fleetId == null || !FLEET_ID.matcher(fleetId).matches()) {
      throw new IllegalArgumentException("fleet id '" + fleetId
          + "' is invalid; expected 1..32 characters of a-z 0-9 . _ - starting with a letter or digit");
    }
    return fleetId;
  }
}
