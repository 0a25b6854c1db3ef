package dev.bkv.evidence;

import java.util.regex.Pattern;

/**
 * Key spaces (DESIGN §3): where one fleet epoch's keys live on a token, {@code fleet/<space>/…}.
 * The space is the fleet id for epochs 0 and 1 (the labels fleets had before rollovers existed)
 * and {@code <id>@<epoch>} from epoch 2 on, so a member HSM can hold a new epoch's keys beside
 * the old ones. Plain strings only: clients that read evidence use it without PKCS#11.
 */
public final class KeySpace {
  private static final Pattern FLEET_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,31}");
  private static final Pattern SPACE =
      Pattern.compile("[a-z0-9][a-z0-9._-]{0,31}(@([2-9]|[1-9][0-9]{1,17}))?");

  private KeySpace() {}

  /** The key space of fleet {@code fleetId} at {@code epoch}. */
  public static String of(String fleetId, long epoch) {
    requireFleetId(fleetId);
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch " + epoch + " is negative");
    }
    return epoch <= 1 ? fleetId : fleetId + "@" + epoch;
  }

  /** {@code fleet/<space>/}. */
  public static String prefix(String space) {
    return "fleet/" + require(space) + "/";
  }

  /** Checks a key space: a fleet id, optionally followed by {@code @<epoch>} with epoch 2 or more. */
  public static String require(String space) {
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
