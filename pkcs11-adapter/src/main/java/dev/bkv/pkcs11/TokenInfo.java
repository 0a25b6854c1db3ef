package dev.bkv.pkcs11;

import java.util.Objects;
import java.util.Set;

/**
 * What a token says about itself ({@code C_GetTokenInfo}), for evidence and diagnostics.
 *
 * @param label           token label
 * @param manufacturer    manufacturer id, e.g. {@code SoftHSM project}
 * @param model           model, e.g. {@code SoftHSM v2}
 * @param serial          serial number
 * @param hardwareVersion {@code major.minor}
 * @param firmwareVersion {@code major.minor}
 * @param flags           the named token flags
 * @param rawFlags        the flags word as returned
 * @param slotId          the slot the token sits in (may change across restarts)
 */
public record TokenInfo(String label, String manufacturer, String model, String serial,
                        String hardwareVersion, String firmwareVersion, Set<TokenFlag> flags,
                        long rawFlags, long slotId) {
  public TokenInfo {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(manufacturer, "manufacturer");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(hardwareVersion, "hardwareVersion");
    Objects.requireNonNull(firmwareVersion, "firmwareVersion");
    flags = Set.copyOf(flags);
  }
}
