package dev.bkv.opaque;

import dev.bkv.ec.P256;
import dev.bkv.ec.Point;
import dev.bkv.ec.Scalar;
import dev.bkv.hash.Hkdf;
import dev.bkv.opaque.internal.OpaqueDerivations;
import dev.bkv.oprf.Oprf;
import dev.bkv.recovery.BadInputException;
import dev.bkv.recovery.InternalFaultException;
import dev.bkv.recovery.SecretBytes;
import java.security.SecureRandom;

/**
 * {@link ServerKeys} with {@code oprf_seed} and the server private key in memory, computing
 * exactly the RFC 9807 derivations. For test vectors, tests and tools; production uses
 * {@link HsmServerKeys}.
 */
public final class SoftwareServerKeys implements ServerKeys {
  private final byte[] oprfSeed;
  private final Scalar serverPrivateKey;
  private final Point serverPublicKey;

  /** @param oprfSeed 32-byte oprf_seed; @param serverPrivateKey non-zero AKE private key */
  public SoftwareServerKeys(SecretBytes oprfSeed, Scalar serverPrivateKey)
      throws BadInputException {
    if (oprfSeed.length() != OpaqueDerivations.NOK) {
      throw new BadInputException("oprf_seed is " + oprfSeed.length() + " bytes; expected 32");
    }
    if (serverPrivateKey.isZero()) {
      throw new BadInputException("server private key is zero; expected a non-zero scalar");
    }
    this.oprfSeed = oprfSeed.copy();
    this.serverPrivateKey = serverPrivateKey;
    this.serverPublicKey = P256.multiplyGenerator(serverPrivateKey);
  }

  /** Fresh random keys. */
  public static SoftwareServerKeys generate(SecureRandom rng) {
    byte[] seed = new byte[32];
    rng.nextBytes(seed);
    try {
      return new SoftwareServerKeys(SecretBytes.copyOf(seed), Scalar.random(rng));
    } catch (BadInputException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Point serverPublicKey() {
    return serverPublicKey;
  }

  @Override
  public Point evaluate(byte[] credentialIdentifier, Point blindedElement)
      throws InternalFaultException {
    byte[] seed = Hkdf.hmac(oprfSeed, OpaqueDerivations.oprfSeedHmacInput(credentialIdentifier));
    return Oprf.blindEvaluate(OpaqueDerivations.oprfKeyFromSeed(seed),
        blindedElement);
  }

  /** The per-credential OPRF key, exposed for tests that compare with the RFC's oprf_key. */
  Scalar oprfKey(byte[] credentialIdentifier) throws InternalFaultException {
    byte[] seed = Hkdf.hmac(oprfSeed, OpaqueDerivations.oprfSeedHmacInput(credentialIdentifier));
    return OpaqueDerivations.oprfKeyFromSeed(seed);
  }

  @Override
  public Point dh(Point clientPublicKeyshare) {
    return clientPublicKeyshare.multiply(serverPrivateKey);
  }

  @Override
  public SecretBytes fakeRecordSeed(byte[] credentialIdentifier) {
    return SecretBytes.copyOf(
        Hkdf.hmac(oprfSeed, OpaqueDerivations.fakeRecordHmacInput(credentialIdentifier)));
  }

  @Override
  public String toString() {
    return "SoftwareServerKeys[publicKey=" + serverPublicKey + "]";
  }
}
