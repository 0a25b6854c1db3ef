package dev.bkv.pkcs11;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

import dev.bkv.pkcs11.internal.Gcm;
import dev.bkv.pkcs11.internal.Involved;
import dev.bkv.pkcs11.internal.Templates;
import dev.bkv.pkcs11.internal.TokenCore;
import java.util.EnumSet;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11Exception;

/**
 * An AES-256 key: AES-256-GCM with AAD (12-byte IV, 16-byte tag) when made for
 * encrypt/decrypt; AES key wrap with padding ({@code CKM_AES_KEY_WRAP_PAD}, RFC 5649) when made
 * for wrap/unwrap.
 */
public final class AesKey extends HsmKey {
  public static final int IV_BYTES = 12;
  public static final int TAG_BYTES = 16;
  private final String encryptWhat;
  private final String decryptWhat;

  AesKey(TokenCore core, String label, byte[] id, long handle) {
    super(core, ObjectClass.SECRET_KEY, KeyType.AES, label, id, handle);
    this.encryptWhat = "AES-GCM encryption with " + this;
    this.decryptWhat = "AES-GCM decryption with " + this;
  }

  /**
   * AES-256-GCM: returns {@code ciphertext || tag}. Never reuse an IV with the same key. The
   * plaintext must not be empty ({@code C_Encrypt} rejects empty input).
   */
  public byte[] encryptGcm(byte[] iv, byte[] plaintext, byte[] aad) throws HsmException {
    if (plaintext.length == 0) {
      throw new IllegalArgumentException("GCM plaintext is empty; PKCS#11 tokens reject that");
    }
    checkIv(iv);
    byte[] a = aad == null ? new byte[0] : aad.clone();
    byte[] pt = plaintext.clone();
    return withHandle(encryptWhat, (s, h) -> Gcm.encrypt(s, h, iv, a, pt, TAG_BYTES));
  }

  /**
   * Opens {@code ciphertext || tag}.
   *
   * @throws HsmAuthenticationException if the tag does not verify (wrong key, IV, AAD, or data)
   */
  public byte[] decryptGcm(byte[] iv, byte[] ciphertextAndTag, byte[] aad) throws HsmException {
    if (ciphertextAndTag.length <= TAG_BYTES) {
      throw new HsmAuthenticationException(decryptWhat, Ckr.of(CKR_ENCRYPTED_DATA_LEN_RANGE), null);
    }
    checkIv(iv);
    byte[] a = aad == null ? new byte[0] : aad.clone();
    byte[] ct = ciphertextAndTag.clone();
    return withHandle(decryptWhat, (s, h) -> {
      try {
        return s.decryptSingle(Gcm.mechanism(iv, a, TAG_BYTES), h, ct);
      } catch (PKCS11Exception e) {
        long code = e.getErrorCode();
        if (code == CKR_GENERAL_ERROR || code == CKR_ENCRYPTED_DATA_INVALID
            || code == CKR_ENCRYPTED_DATA_LEN_RANGE) {
          throw new HsmAuthenticationException(decryptWhat, Ckr.of(code), e);
        }
        throw e;
      }
    });
  }

  /** Wraps {@code target} (same token) with {@code CKM_AES_KEY_WRAP_PAD}. */
  public byte[] wrap(HsmKey target) throws HsmException {
    requireSameToken(target);
    String what = "wrapping " + target + " with " + this;
    return core.call(what, s -> s.wrapKey(Involved.mechanism(CKM_AES_KEY_WRAP_PAD), handle(s), target.handle(s)));
  }

  /** Unwraps a P-256 private key (PKCS#8 under KWP) with explicit attributes from {@code spec}. */
  public EcPrivateKey unwrapEcP256(byte[] wrapped, KeySpec spec) throws HsmException {
    return unwrapEcP256(wrapped, spec, null);
  }

  /**
   * Unwraps a P-256 private key whose public key is known. A token that refuses the unwrap as
   * incomplete or inconsistent is asked once more with the public point in the vendor attribute
   * NSS softokn requires for EC private keys ({@code CKA_NSS_DB}); no other token sees it.
   */
  public EcPrivateKey unwrapEcP256(byte[] wrapped, KeySpec spec, PublicValue.EcP256 publicKey)
      throws HsmException {
    Creation.requireUsages(spec, KeyType.EC_P256, EnumSet.of(KeyUsage.DERIVE, KeyUsage.SIGN));
    byte[] id = Creation.idFor(spec);
    String what = "unwrapping EC key '" + spec.label() + "' with " + this;
    long h = core.create(what, spec.persistent(), s -> {
      Creation.requireFreeLabel(s, ObjectClass.PRIVATE_KEY, spec.label(), what);
      try {
        return s.unwrapKey(Involved.mechanism(CKM_AES_KEY_WRAP_PAD), handle(s), wrapped,
            Involved.template(Templates.privateKey(KeyType.EC_P256, spec, id)));
      } catch (PKCS11Exception e) {
        if (publicKey == null || !Templates.mayNeedNssPublicValue(e.getErrorCode())) {
          throw e;
        }
        return s.unwrapKey(Involved.mechanism(CKM_AES_KEY_WRAP_PAD), handle(s), wrapped,
            Involved.template(Templates.withNssPublicValue(
                Templates.privateKey(KeyType.EC_P256, spec, id), publicKey.point())));
      }
    });
    return new EcPrivateKey(core, spec.label(), id, h, null);
  }

  /** Unwraps an AES key. */
  public AesKey unwrapAes(byte[] wrapped, KeySpec spec) throws HsmException {
    return (AesKey) unwrapSecret(wrapped, spec, KeyType.AES);
  }

  /** Unwraps a generic secret (HMAC key). */
  public HmacKey unwrapGenericSecret(byte[] wrapped, KeySpec spec) throws HsmException {
    return (HmacKey) unwrapSecret(wrapped, spec, KeyType.GENERIC_SECRET);
  }

  private HsmKey unwrapSecret(byte[] wrapped, KeySpec spec, KeyType type) throws HsmException {
    byte[] id = Creation.idFor(spec);
    String what = "unwrapping " + type + " key '" + spec.label() + "' with " + this;
    long h = core.create(what, spec.persistent(), s -> {
      Creation.requireFreeLabel(s, ObjectClass.SECRET_KEY, spec.label(), what);
      return s.unwrapKey(Involved.mechanism(CKM_AES_KEY_WRAP_PAD), handle(s), wrapped,
          Involved.template(Templates.secretKey(type, spec, id, 0)));
    });
    return Creation.secret(core, type, spec, id, h);
  }

  void requireSameToken(HsmKey target) {
    if (target.core != core) {
      throw new IllegalArgumentException(target + " is not on the same token as " + this);
    }
  }

  private static void checkIv(byte[] iv) {
    if (iv == null || iv.length != IV_BYTES) {
      throw new IllegalArgumentException("GCM IV is " + (iv == null ? "null" : iv.length + " bytes")
          + "; expected " + IV_BYTES);
    }
  }
}
