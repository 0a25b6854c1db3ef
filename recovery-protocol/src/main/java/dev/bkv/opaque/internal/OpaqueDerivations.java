package dev.bkv.opaque.internal;

import dev.bkv.ec.Point;
import dev.bkv.ec.Scalar;
import dev.bkv.oprf.Oprf;
import dev.bkv.recovery.InternalFaultException;

/** RFC 9807 key derivations shared by client, server and both ServerKeys implementations. */
public final class OpaqueDerivations {
  public static final int NOK = 32;
  private static final byte[] OPRF_KEY = Bytes.ascii("OprfKey");
  private static final byte[] DERIVE_KEY_PAIR = Bytes.ascii("OPAQUE-DeriveKeyPair");
  private static final byte[] DERIVE_DH_KEY_PAIR = Bytes.ascii("OPAQUE-DeriveDiffieHellmanKeyPair");
  private static final byte[] FAKE_RECORD = Bytes.ascii("bkv-FakeRecord");

  private OpaqueDerivations() {}

  /**
   * The HMAC input whose output (under key oprf_seed) is the per-credential OPRF seed:
   * Expand(oprf_seed, credential_identifier || "OprfKey", 32) is one HMAC over
   * {@code credential_identifier || "OprfKey" || 0x01}.
   */
  public static byte[] oprfSeedHmacInput(byte[] credentialIdentifier) {
    return Bytes.concat(credentialIdentifier, OPRF_KEY, new byte[] {1});
  }

  /**
   * The HMAC input for bkv's per-credential fake-record seed:
   * Expand(oprf_seed, credential_identifier || "bkv-FakeRecord", 32). Cannot collide with the
   * OPRF-key input because the labels end differently.
   */
  public static byte[] fakeRecordHmacInput(byte[] credentialIdentifier) {
    return Bytes.concat(credentialIdentifier, FAKE_RECORD, new byte[] {1});
  }

  /** (oprf_key, _) = DeriveKeyPair(seed, "OPAQUE-DeriveKeyPair"); the public half is unused. */
  public static Scalar oprfKeyFromSeed(byte[] seed) throws InternalFaultException {
    return Oprf.derivePrivateKey(seed, DERIVE_KEY_PAIR);
  }

  /** DeriveDiffieHellmanKeyPair(seed) for AKE and envelope keys. */
  public static Oprf.KeyPair dhKeyPair(byte[] seed) throws InternalFaultException {
    return Oprf.deriveKeyPair(seed, DERIVE_DH_KEY_PAIR);
  }

  /** CreateCleartextCredentials with identity defaults to the public keys. */
  public static byte[] cleartextCredentials(Point serverPublicKey, Point clientPublicKey,
      byte[] serverIdentity, byte[] clientIdentity) {
    byte[] sid = serverIdentity != null ? serverIdentity : serverPublicKey.toCompressed();
    byte[] cid = clientIdentity != null ? clientIdentity : clientPublicKey.toCompressed();
    return Bytes.concat(serverPublicKey.toCompressed(), Bytes.lengthPrefixed2(sid),
        Bytes.lengthPrefixed2(cid));
  }
}
