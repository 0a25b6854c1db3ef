package dev.bkv.pkcs11;

/** What a key may be used for; each maps to one boolean usage attribute of the object. */
public enum KeyUsage {
  ENCRYPT, DECRYPT, SIGN, VERIFY, DERIVE, WRAP, UNWRAP
}
