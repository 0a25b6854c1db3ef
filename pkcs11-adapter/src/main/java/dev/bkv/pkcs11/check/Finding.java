package dev.bkv.pkcs11.check;

import java.util.Objects;

/**
 * The outcome of one probe.
 *
 * @param capability what was tried
 * @param status     how it ended
 * @param detail     what the token did, e.g. {@code RFC 5649 under CKM_AES_KEY_WRAP_KWP} or the
 *                   error with its {@code CKR_*}, {@code CKM_*} and {@code CKA_*}
 * @param fallback   what bkv uses instead when {@code status} is {@link Status#FALLBACK}, else ""
 */
public record Finding(Capability capability, Status status, String detail, String fallback) {
  public Finding {
    Objects.requireNonNull(capability, "capability");
    Objects.requireNonNull(status, "status");
    detail = detail == null ? "" : detail;
    fallback = fallback == null ? "" : fallback;
  }

  static Finding ok(Capability c, String detail) {
    return new Finding(c, Status.OK, detail, "");
  }

  static Finding fallback(Capability c, String detail, String fallback) {
    return new Finding(c, Status.FALLBACK, detail, fallback);
  }

  static Finding missing(Capability c, String detail) {
    return new Finding(c, Status.MISSING, detail, "");
  }

  static Finding skipped(Capability c, String detail) {
    return new Finding(c, Status.SKIPPED, detail, "");
  }
}
