package dev.bkv.pkcs11;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

import dev.bkv.pkcs11.internal.Gcm;
import dev.bkv.pkcs11.internal.Involved;
import dev.bkv.pkcs11.internal.Templates;
import dev.bkv.pkcs11.internal.TokenCore;
import java.security.SecureRandom;
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
   * AES-256-GCM under the caller's IV: returns {@code ciphertext || tag}. Never reuse an IV with
   * the same key. The plaintext must not be empty ({@code C_Encrypt} rejects empty input). On a
   * token that makes its own IVs ({@link GcmIv#TOKEN_GENERATED}) it refuses; {@link #sealGcm}
   * works on every token.
   */
  public byte[] encryptGcm(byte[] iv, byte[] plaintext, byte[] aad) throws HsmException {
    if (plaintext.length == 0) {
      throw new IllegalArgumentException("GCM plaintext is empty; PKCS#11 tokens reject that");
    }
    checkIv(iv);
    byte[] a = aad == null ? new byte[0] : aad.clone();
    byte[] pt = plaintext.clone();
    return withHandle(encryptWhat, (s, h) -> {
      // a token that makes its own IVs would encrypt under one nobody stored: refuse
      Gcm.IvProbe p = Gcm.ivMode(s, h, TAG_BYTES);
      if (p.mode().isPresent() && p.mode().get() == GcmIv.TOKEN_GENERATED) {
        throw new HsmException(encryptWhat, "the token makes its own GCM IVs and does not encrypt "
            + "under the caller's; seal with sealGcm, which stores the token's IV [mechanism CKM_AES_GCM]");
      }
      if (p.mode().isEmpty() && p.callerIv().startsWith("ignored")) {
        throw new HsmException(encryptWhat, noIv(p));
      }
      return Gcm.encrypt(s, h, iv, a, pt, TAG_BYTES);
    });
  }

  /**
   * How this key's token takes GCM IVs: found once per module (two encryptions of a fixed block
   * under one random IV, then the token's own IV through {@code C_EncryptMessage}), then
   * remembered.
   *
   * @throws HsmException if the token neither honours a caller's IV nor returns its own
   */
  public GcmIv gcmIv() throws HsmException {
    String what = "finding how " + core.description() + " takes AES-GCM IVs (" + this + ")";
    Gcm.IvProbe p = withHandle(what, (s, h) -> Gcm.ivMode(s, h, TAG_BYTES));
    if (p.mode().isEmpty()) {
      throw new HsmException(what, noIv(p));
    }
    return p.mode().get();
  }

  /** Why neither IV mode works, e.g. {@code … caller's IV (refused: CKR_…) …}. */
  static String noIv(Gcm.IvProbe p) {
    return "the token neither encrypts under the caller's IV (" + p.callerIv() + ") nor returns "
        + "its own through C_EncryptMessage with CKG_GENERATE_RANDOM (" + p.tokenIv()
        + ") [mechanism CKM_AES_GCM]";
  }

  /**
   * AES-256-GCM with the IV chosen as the token allows ({@link #gcmIv}): a random IV from
   * {@code rng} where the token honours caller IVs, else the token's own. Store the returned IV
   * with the ciphertext ({@link GcmSealed#toBytes}); open with {@link #decryptGcm}.
   */
  public GcmSealed sealGcm(byte[] plaintext, byte[] aad, SecureRandom rng) throws HsmException {
    return sealGcm(plaintext, aad, rng, gcmIv());
  }

  /** {@link #sealGcm(byte[], byte[], SecureRandom)} in the given mode (tests force the other one). */
  GcmSealed sealGcm(byte[] plaintext, byte[] aad, SecureRandom rng, GcmIv mode) throws HsmException {
    if (plaintext.length == 0) {
      throw new IllegalArgumentException("GCM plaintext is empty; PKCS#11 tokens reject that");
    }
    if (mode == GcmIv.CALLER) {
      byte[] iv = new byte[IV_BYTES];
      rng.nextBytes(iv);
      if (Gcm.allZero(iv)) {
        throw new IllegalStateException("the random source gave an all-zero GCM IV; refusing it");
      }
      return new GcmSealed(iv, encryptGcm(iv, plaintext, aad));
    }
    byte[] a = aad == null ? new byte[0] : aad.clone();
    byte[] pt = plaintext.clone();
    byte[][] r = withHandle(encryptWhat + " (IV made by the token)",
        (s, h) -> Gcm.encryptWithTokenIv(s, h, a, pt, TAG_BYTES));
    if (r[0] == null || r[0].length != IV_BYTES || Gcm.allZero(r[0])) {
      throw new HsmException(encryptWhat, "the token returned " + (r[0] == null ? "no IV"
          : r[0].length != IV_BYTES ? "a " + r[0].length + "-byte IV" : "an all-zero IV")
          + " from C_EncryptMessage with CKG_GENERATE_RANDOM; expected " + IV_BYTES
          + " bytes of its own [mechanism CKM_AES_GCM]");
    }
    return new GcmSealed(r[0], r[1]);
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
