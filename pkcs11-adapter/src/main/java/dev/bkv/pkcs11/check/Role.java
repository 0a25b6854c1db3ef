package dev.bkv.pkcs11.check;

import java.util.Locale;

/** What a token is asked to host; each role needs its own set of capabilities. */
public enum Role {
  /** A fleet member: receives the fleet keys, runs the OPRF, 3DH, record sealing. */
  MEMBER,
  /** The member token that generates the fleet keys and wraps them to the others. */
  GENESIS,
  /** The operator's countersigning key. */
  OPERATOR,
  /** The cosigner's note-signing key on a token. */
  COSIGNER;

  /** {@code member}, {@code genesis}, … as on the command line. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role named {@code id} (case-insensitive). */
  public static Role parse(String id) {
    for (Role r : values()) {
      if (r.id().equalsIgnoreCase(id)) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown role '" + id + "'; expected member, genesis, operator or cosigner");
  }
}
