package dev.bkv.ec;

import dev.bkv.recovery.InternalFaultException;

/**
 * Scalar multiplication by a private key that returns only the x-coordinate, as PKCS#11
 * {@code CKM_ECDH1_DERIVE} does: {@code x(k·peer)}, 32 bytes big-endian. The peer is a
 * validated {@link Point}, so no unchecked bytes reach the key holder.
 */
@FunctionalInterface
public interface XOnlyEcdh {
  /** Returns x(k·peer); an implementation failure (e.g. an HSM error) is an internal fault. */
  byte[] x(Point peer) throws InternalFaultException;
}
