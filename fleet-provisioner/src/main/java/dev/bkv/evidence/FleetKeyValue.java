package dev.bkv.evidence;

import java.util.Objects;

/**
 * The public face of one fleet key on one member. For EC keys {@code publicValue} is the 65-byte
 * point (hex) and {@code fingerprint} its SHA-256; secret keys have no public value, and
 * {@code fingerprint} is a key check value computed in the HSM (see {@code docs/evidence.md}).
 *
 * @param check how {@code fingerprint} was computed: {@code sha256-point},
 *              {@code kcv-hmac-sha256} or {@code kcv-aes-256-gcm}
 */
public record FleetKeyValue(String label, String keyType, String publicValue, String fingerprint,
                            String check) {
  public FleetKeyValue {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(keyType, "keyType");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(check, "check");
  }
}
