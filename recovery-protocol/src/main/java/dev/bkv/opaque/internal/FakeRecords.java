package dev.bkv.opaque.internal;

import dev.bkv.ec.Point;
import dev.bkv.hash.Hkdf;
import dev.bkv.opaque.RegistrationRecord;
import dev.bkv.recovery.InternalFaultException;
import dev.bkv.recovery.SecretBytes;

/**
 * bkv's fake record for an unknown credential (RFC 9807 §6.3.2.2 / §10.9): a client public key
 * and masking key derived from the per-credential fake seed, and an all-zero envelope. The RFC
 * asks for random values; deriving them from a keyed per-credential seed keeps repeated queries
 * for the same unknown user consistent, as a real record would be.
 */
public final class FakeRecords {
  private FakeRecords() {}

  public static RegistrationRecord fromSeed(SecretBytes seed) throws InternalFaultException {
    byte[] s = seed.copy();
    Point clientPublicKey = OpaqueDerivations.dhKeyPair(
        Hkdf.expand(s, Bytes.ascii("bkv-FakeClientKey"), 32)).publicKey();
    byte[] maskingKey = Hkdf.expand(s, Bytes.ascii("bkv-FakeMaskingKey"), 32);
    java.util.Arrays.fill(s, (byte) 0);
    return RegistrationRecord.fake(clientPublicKey, maskingKey);
  }
}
