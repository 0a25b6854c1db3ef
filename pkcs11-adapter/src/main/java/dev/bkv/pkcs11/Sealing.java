package dev.bkv.pkcs11;

/** How {@link HsmKey#seal} made a key non-extractable; the ceremony transcript records it. */
public enum Sealing {
  /** Already non-extractable; nothing changed. */
  ALREADY,
  /** {@code C_SetAttributeValue(CKA_EXTRACTABLE=false)}. */
  SET_ATTRIBUTE,
  /**
   * The token refused the attribute change: the key was unwrapped once more as non-extractable
   * under a session key and the extractable original destroyed (a fallback).
   */
  REUNWRAPPED
}
