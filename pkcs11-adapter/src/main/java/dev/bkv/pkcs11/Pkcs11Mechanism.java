package dev.bkv.pkcs11;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

/** Mechanisms bkv relies on, for capability checks before a ceremony or at startup. */
public enum Pkcs11Mechanism {
  EC_KEY_PAIR_GEN(CKM_EC_KEY_PAIR_GEN),
  EC_EDWARDS_KEY_PAIR_GEN(CKM_EC_EDWARDS_KEY_PAIR_GEN),
  ECDH1_DERIVE(CKM_ECDH1_DERIVE),
  ECDSA(CKM_ECDSA),
  EDDSA(CKM_EDDSA),
  AES_KEY_GEN(CKM_AES_KEY_GEN),
  AES_GCM(CKM_AES_GCM),
  AES_KEY_WRAP_PAD(CKM_AES_KEY_WRAP_PAD),
  GENERIC_SECRET_KEY_GEN(CKM_GENERIC_SECRET_KEY_GEN),
  SHA256_HMAC(CKM_SHA256_HMAC),
  RSA_PKCS_KEY_PAIR_GEN(CKM_RSA_PKCS_KEY_PAIR_GEN),
  RSA_PKCS_OAEP(CKM_RSA_PKCS_OAEP),
  /** Not used by bkv today and missing from SoftHSM2; listed for capability reports. */
  HKDF_DERIVE(CKM_HKDF_DERIVE);

  private final long ckm;

  Pkcs11Mechanism(long ckm) {
    this.ckm = ckm;
  }

  public long ckm() {
    return ckm;
  }

  /** The {@code CKM_*} name. */
  public String ckmName() {
    return "CKM_" + name();
  }
}
