package dev.bkv.pkcs11;

import java.util.Objects;

/** How a token is picked among the module's slots: by its label or by its serial number. */
public sealed interface TokenSelector {

  /** Whether the token with this label and serial is the one wanted. */
  boolean matches(String label, String serial);

  static TokenSelector label(String label) {
    return new Label(label);
  }

  static TokenSelector serial(String serial) {
    return new Serial(serial);
  }

  /** Selects by {@code CKA_LABEL} of the token (trailing blanks ignored). */
  record Label(String label) implements TokenSelector {
    public Label {
      Objects.requireNonNull(label, "label");
      if (label.isBlank() || label.length() > 32) {
        throw new IllegalArgumentException("token label must be 1..32 characters: '" + label + "'");
      }
    }

    @Override
    public boolean matches(String tokenLabel, String serial) {
      return label.strip().equals(tokenLabel.strip());
    }

    @Override
    public String toString() {
      return "token '" + label + "'";
    }
  }

  /** Selects by the token's serial number (trailing blanks ignored). */
  record Serial(String serial) implements TokenSelector {
    public Serial {
      Objects.requireNonNull(serial, "serial");
      if (serial.isBlank() || serial.length() > 16) {
        throw new IllegalArgumentException("token serial must be 1..16 characters: '" + serial + "'");
      }
    }

    @Override
    public boolean matches(String label, String tokenSerial) {
      return serial.strip().equals(tokenSerial.strip());
    }

    @Override
    public String toString() {
      return "token with serial " + serial;
    }
  }
}
