package dev.bkv.opaque;

import dev.bkv.recovery.InternalFaultException;

/**
 * Key-stretching function applied by the client to the OPRF output (RFC 9807 §4.3.1):
 * {@code randomized_password = Extract("", oprf_output || Stretch(oprf_output))}.
 * Both registration and login must use the same function and parameters.
 */
@FunctionalInterface
public interface Ksf {
  /** Stretch(msg); returns a fresh array the caller may wipe. */
  byte[] stretch(byte[] oprfOutput) throws InternalFaultException;

  /** The identity function, used by the RFC 9807 test vectors only. */
  Ksf IDENTITY = byte[]::clone;
}
