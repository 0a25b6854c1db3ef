package dev.bkv.evidence;

import java.util.Objects;

/**
 * One group wrap key {@code W_A} (DESIGN §10) as a member holds it: the share set it belongs to,
 * its label, and its check value computed in the member's HSM — hex SHA-256 of the fixed secret
 * {@code "bkv share wrap key check value 1"} wrapped under the key with {@code
 * CKM_AES_KEY_WRAP_PAD}. Every holder of the same key gives the same value.
 *
 * @param set        the set's name ({@code -} for the empty set, else member ids joined by {@code +})
 * @param label      {@code fleet/<id>/oprf-share/<set>}
 * @param checkValue 64 hex digits
 * @param check      how {@code checkValue} was computed: {@value #CHECK}
 */
public record ShareKeyValue(String set, String label, String checkValue, String check) {
  /** The only check method: a known-answer AES key wrap (with padding), hashed. */
  public static final String CHECK = "kcv-aes-kwp-sha256";

  public ShareKeyValue {
    Objects.requireNonNull(set, "set");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(checkValue, "checkValue");
    Objects.requireNonNull(check, "check");
  }
}
