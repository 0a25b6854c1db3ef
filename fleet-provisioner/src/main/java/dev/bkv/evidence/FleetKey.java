package dev.bkv.evidence;

import dev.bkv.pkcs11.KeyType;
import dev.bkv.pkcs11.KeyUsage;
import dev.bkv.pkcs11.ObjectClass;
import java.util.Set;
import java.util.regex.Pattern;

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
  private static final Pattern FLEET_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,31}");
  private static final Pattern SPACE =
      Pattern.compile("[a-z0-9][a-z0-9._-]{0,31}(@([2-9]|[1-9][0-9]{1,17}))?");

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

  /**
   * The key space of a fleet epoch: {@code <id>} for epochs 0 and 1 (the labels fleets had before
   * rollovers existed), {@code <id>@<epoch>} from epoch 2 on.
   */
  public static String space(String fleetId, long epoch) {
    requireFleetId(fleetId);
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch " + epoch + " is negative");
    }
    return epoch <= 1 ? fleetId : fleetId + "@" + epoch;
  }

  /** {@code fleet/<space>/}: every key of one fleet epoch starts so. */
  public static String prefix(String space) {
    return "fleet/" + requireSpace(space) + "/";
  }

  /** {@code fleet/<space>/} of fleet {@code fleetId} at {@code epoch}. */
  public static String prefix(String fleetId, long epoch) {
    return prefix(space(fleetId, epoch));
  }

  /** Labels of the genesis token's temporary trusted objects: {@code ceremony/<space>/}. */
  public static String ceremonyPrefix(String space) {
    return "ceremony/" + requireSpace(space) + "/";
  }

  /** Checks a key space: a fleet id, optionally followed by {@code @<epoch>} with epoch 2 or more. */
  public static String requireSpace(String space) {
    if (space == null || !SPACE.matcher(space).matches()) {
      throw new IllegalArgumentException("fleet key space '" + space
          + "' is invalid; expected a fleet id, or a fleet id, '@' and an epoch of 2 or more");
    }
    return space;
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
