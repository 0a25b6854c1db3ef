package dev.bkv.opaque;

import dev.bkv.recovery.InternalFaultException;

/**
 * HMAC-SHA256 under a secret key the caller cannot see (in bkv: {@code oprf_seed} inside the
 * HSM). Returns the 32-byte tag over {@code data}.
 */
@FunctionalInterface
public interface KeyedHmac {
  byte[] hmac(byte[] data) throws InternalFaultException;
}
