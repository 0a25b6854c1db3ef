package dev.bkv.pkcs11;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

import dev.bkv.pkcs11.internal.TokenCore;

/**
 * A public key object on the token, typically a peer's transport key imported by the security
 * officer with {@code CKA_TRUSTED=true}. An RSA one wraps keys with OAEP (SHA-1, MGF1-SHA1).
 */
public final class PublicKeyObject extends HsmKey {
  private final PublicValue value;

  PublicKeyObject(TokenCore core, KeyType type, String label, byte[] id, long handle, PublicValue value) {
    super(core, ObjectClass.PUBLIC_KEY, type, label, id, handle);
    this.value = value;
  }

  /** The public value as read or written when this object was created or found. */
  public PublicValue value() {
    return value;
  }

  /** Wraps {@code target} (same token) to this RSA public key with OAEP, SHA-1. */
  public byte[] wrap(HsmKey target) throws HsmException {
    return wrap(target, OaepHash.SHA1);
  }

  /**
   * Wraps {@code target} (same token) to this RSA public key with OAEP using {@code hash}, which
   * the unwrapping token must take too ({@link OaepHash#choose}). A target created with
   * {@code CKA_WRAP_WITH_TRUSTED} fails with {@code CKR_KEY_NOT_WRAPPABLE} unless this object is
   * trusted; SoftHSM2 cannot OAEP-wrap EC private keys at all.
   */
  public byte[] wrap(HsmKey target, OaepHash hash) throws HsmException {
    if (type() != KeyType.RSA) {
      throw new IllegalArgumentException("wrapping needs an RSA public key; " + this + " is " + type());
    }
    if (target.core != core) {
      throw new IllegalArgumentException(target + " is not on the same token as " + this);
    }
    String what = "wrapping " + target + " with " + this + " (OAEP " + hash + ")";
    return core.call(what, s -> s.wrapKey(hash.mechanism(), handle(s), target.handle(s)));
  }

  /** Whether the token marks this object {@code CKA_TRUSTED}. */
  public boolean isTrusted() throws HsmException {
    return withHandle("reading CKA_TRUSTED of " + this,
        (s, h) -> Boolean.TRUE.equals(s.getAttrValues(h, CKA_TRUSTED).trusted()));
  }
}
