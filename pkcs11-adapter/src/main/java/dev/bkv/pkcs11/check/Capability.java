package dev.bkv.pkcs11.check;

import java.util.EnumSet;
import java.util.Set;

/**
 * One thing {@code bkv token check} tries on a token, with the roles that cannot do without it.
 * Roles listed under {@code fallbackOk} can still be hosted when the probe ends in
 * {@link Status#FALLBACK}; a {@link Status#MISSING} capability a role needs makes that role
 * impossible.
 */
public enum Capability {
  SESSION_OBJECTS("session objects", "CKA_TOKEN=false keys (per-process copies, probes)",
      EnumSet.noneOf(Role.class)),
  EC_KEYGEN("EC P-256 keys", "CKM_EC_KEY_PAIR_GEN on P-256",
      EnumSet.of(Role.MEMBER, Role.GENESIS, Role.OPERATOR)),
  ECDH_X("ECDH x-only", "CKM_ECDH1_DERIVE, CKD_NULL, x-coordinate read from the derived secret, "
      + "or wrapped out with CKM_AES_KEY_WRAP under a host session key where it cannot be read",
      EnumSet.of(Role.MEMBER, Role.GENESIS)),
  ECDSA("ECDSA P-256", "CKM_ECDSA over a SHA-256 digest (identity, countersign)",
      EnumSet.of(Role.MEMBER, Role.GENESIS, Role.OPERATOR)),
  EDDSA("Ed25519", "CKM_EC_EDWARDS_KEY_PAIR_GEN + CKM_EDDSA (cosigner note signatures)",
      EnumSet.noneOf(Role.class)),
  NOTE_SIGNATURE("note signature", "Ed25519, or ECDSA P-256 where EdDSA is missing",
      EnumSet.of(Role.COSIGNER, Role.OPERATOR)),
  AES_GCM("AES-256-GCM", "CKM_AES_GCM with a 12-byte IV, AAD, 16-byte tag (record sealing)",
      EnumSet.of(Role.MEMBER, Role.GENESIS)),
  HMAC("HMAC-SHA256", "CKM_SHA256_HMAC with a 32-byte generic secret (oprf_seed)",
      EnumSet.of(Role.MEMBER, Role.GENESIS)),
  RSA_OAEP("RSA-OAEP wrap", "CKM_RSA_PKCS_OAEP wrap/unwrap of an AES key (ceremony transport)",
      EnumSet.of(Role.MEMBER, Role.GENESIS)),
  KWP("AES key wrap with padding", "wrap/unwrap of keys of any length, checked against "
      + "BouncyCastle's RFC 5649", EnumSet.of(Role.MEMBER, Role.GENESIS)),
  EC_UNWRAP("EC key unwrap", "an EC P-256 private key wrapped by this token unwraps on it again "
      + "(how members receive the OPRF and AKE keys)", EnumSet.of(Role.MEMBER)),
  TRUSTED_WRAP("trusted wrap", "CKA_WRAP_WITH_TRUSTED=true keys refuse an untrusted wrapping key",
      EnumSet.of(Role.GENESIS)),
  SEALING("sealing", "C_SetAttributeValue CKA_EXTRACTABLE true→false", EnumSet.of(Role.GENESIS)),
  UNEXTRACTABLE("non-extractable", "C_WrapKey refuses a CKA_EXTRACTABLE=false key (what keeps "
      + "sealed and unwrapped keys in the token)", EnumSet.of(Role.MEMBER, Role.GENESIS)),
  LOCAL("CKA_LOCAL", "generated keys report CKA_LOCAL=true", EnumSet.noneOf(Role.class)),
  CONCURRENT_SESSIONS("concurrent sessions", "4 sessions working at once",
      EnumSet.of(Role.MEMBER)),
  MULTI_PROCESS_LOGIN("multi-process login", "a second process logs in while this one "
      + "holds logged-in sessions (bkv commands beside a running member); only `bkv token check` "
      + "tries it", EnumSet.noneOf(Role.class));

  private final String title;
  private final String what;
  private final Set<Role> neededBy;

  Capability(String title, String what, Set<Role> neededBy) {
    this.title = title;
    this.what = what;
    this.neededBy = neededBy;
  }

  /** Short name for the table, e.g. {@code ECDH x-only}. */
  public String title() {
    return title;
  }

  /** What exactly is tried. */
  public String what() {
    return what;
  }

  /** Whether {@code role} cannot be hosted without this capability (a fallback may do). */
  public boolean neededBy(Role role) {
    return neededBy.contains(role);
  }
}
