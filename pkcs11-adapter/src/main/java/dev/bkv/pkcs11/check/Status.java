package dev.bkv.pkcs11.check;

/** How a probe ended. */
public enum Status {
  /** Works as bkv uses it. */
  OK,
  /** Not as bkv prefers, but bkv has a fallback (named in the finding). */
  FALLBACK,
  /** Does not work and bkv has no fallback. */
  MISSING,
  /** Not tried (not needed, or a prerequisite failed). */
  SKIPPED
}
