package dev.bkv.pkcs11;

/** Work done as the security officer; see {@link Pkcs11Token#asSecurityOfficer}. */
@FunctionalInterface
public interface SoAction<T> {
  T run(SecurityOfficer so) throws HsmException;
}
