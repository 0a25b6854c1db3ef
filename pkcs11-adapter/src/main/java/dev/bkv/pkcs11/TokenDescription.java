package dev.bkv.pkcs11;

import java.util.Objects;

/**
 * What a token says about itself ({@code C_GetTokenInfo}), as evidence records it: the strings
 * of {@link TokenInfo}, without its flags and slot.
 *
 * @param label           token label
 * @param manufacturer    manufacturer id, e.g. {@code SoftHSM project}
 * @param model           model, e.g. {@code SoftHSM v2}
 * @param serial          serial number
 * @param hardwareVersion {@code major.minor}
 * @param firmwareVersion {@code major.minor}
 */
public record TokenDescription(String label, String manufacturer, String model, String serial,
                               String hardwareVersion, String firmwareVersion) {
  public TokenDescription {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(manufacturer, "manufacturer");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(hardwareVersion, "hardwareVersion");
    Objects.requireNonNull(firmwareVersion, "firmwareVersion");
  }
}
