package dev.bkv.evidence;

import dev.bkv.pkcs11.TokenInfo;
import java.util.Objects;

/** What a token says about itself, as recorded in evidence ({@code C_GetTokenInfo}). */
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

  public static TokenDescription of(TokenInfo t) {
    return new TokenDescription(t.label(), t.manufacturer(), t.model(), t.serial(),
        t.hardwareVersion(), t.firmwareVersion());
  }
}
