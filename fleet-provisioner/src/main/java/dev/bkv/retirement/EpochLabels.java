package dev.bkv.retirement;

import dev.bkv.evidence.FleetKey;

/**
 * The label prefix of one epoch's fleet keys: {@code fleet/<id>/} for epoch 1,
 * {@code fleet/<id>@<n>/} from epoch 2 on.
 */
final class EpochLabels {
  private EpochLabels() {}

  static String prefix(String fleetId, long epoch) {
    if (epoch < 1) {
      throw new IllegalArgumentException("epoch is " + epoch + "; expected >= 1");
    }
    return epoch == 1 ? FleetKey.prefix(fleetId)
        : "fleet/" + FleetKey.requireFleetId(fleetId) + "@" + epoch + "/";
  }
}
