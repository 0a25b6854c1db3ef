package dev.bkv.opaque;

import dev.bkv.ec.Point;
import dev.bkv.ec.Scalar;
import dev.bkv.ec.XOnlyEcdh;
import dev.bkv.ec.XOnlyPointRecovery;
import dev.bkv.opaque.internal.OpaqueDerivations;
import dev.bkv.pkcs11.EcPrivateKey;
import dev.bkv.pkcs11.HmacKey;
import dev.bkv.pkcs11.HsmException;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.recovery.InternalFaultException;
import dev.bkv.recovery.SecretBytes;
import java.util.Objects;

/**
 * {@link ServerKeys} over key-holder primitives (DESIGN §3): HMAC-SHA256 with the
 * {@code oprf_seed} secret key, and x-only ECDH with the fleet OPRF key {@code k_fleet} and with
 * the AKE key. The per-credential OPRF key is {@code k_u = k_fleet · t_u mod n}, where
 * {@code t_u} is the RFC 9807 derivation from the HMAC; the host multiplies {@code t_u·B} and
 * the key holder applies {@code k_fleet}. Full points are recovered with
 * {@link XOnlyPointRecovery}. With {@code k_fleet = 1} the outputs equal the RFC's.
 *
 * <p>The host sees {@code t_u} transiently while evaluating; it never stores it.
 */
public final class HsmServerKeys implements ServerKeys {
  private final KeyedHmac oprfSeedHmac;
  private final XOnlyPointRecovery fleetOprf;
  private final XOnlyPointRecovery ake;
  private final XOnlyEcdh akeEcdh;

  /**
   * @param oprfSeedHmac HMAC-SHA256 under oprf_seed
   * @param fleetOprfEcdh x-only ECDH with k_fleet
   * @param fleetOprfPublicKey k_fleet·G
   * @param akeEcdh x-only ECDH with the server's long-term AKE key
   * @param akePublicKey the server public key clients pin
   */
  public HsmServerKeys(KeyedHmac oprfSeedHmac, XOnlyEcdh fleetOprfEcdh, Point fleetOprfPublicKey,
      XOnlyEcdh akeEcdh, Point akePublicKey) {
    this.oprfSeedHmac = Objects.requireNonNull(oprfSeedHmac, "oprfSeedHmac");
    this.fleetOprf = new XOnlyPointRecovery(fleetOprfEcdh, fleetOprfPublicKey);
    this.ake = new XOnlyPointRecovery(akeEcdh, akePublicKey);
    this.akeEcdh = akeEcdh;
  }

  /**
   * Server keys backed by token keys: {@code oprfSeed} (HMAC), {@code fleetOprf} (k_fleet) and
   * {@code ake} (the long-term 3DH key). Each EC key's public point is read from the token and
   * checked against the key itself with one full-point recovery of G, so a public object that
   * does not belong to its private key is caught here rather than on the first login.
   */
  public static HsmServerKeys fromToken(HmacKey oprfSeed, EcPrivateKey fleetOprf,
      EcPrivateKey ake) throws InternalFaultException {
    HsmServerKeys keys = new HsmServerKeys(Pkcs11Primitives.hmac(oprfSeed),
        Pkcs11Primitives.ecdh(fleetOprf), Pkcs11Primitives.publicKey(fleetOprf),
        Pkcs11Primitives.ecdh(ake), Pkcs11Primitives.publicKey(ake));
    keys.selfTest();
    return keys;
  }

  /**
   * The fleet keys of one fleet epoch on an open token, by the DESIGN §3 labels
   * {@code fleet/<space>/oprf-seed}, {@code fleet/<space>/oprf} and {@code fleet/<space>/ake};
   * the key space is the fleet id for epoch 1 and {@code <id>@<epoch>} from epoch 2 on.
   */
  public static HsmServerKeys open(Pkcs11Token token, String space)
      throws InternalFaultException {
    String prefix = "fleet/" + space + "/";
    try {
      return fromToken(token.keys().findHmacKey(prefix + "oprf-seed"),
          token.keys().findEcP256(prefix + "oprf"), token.keys().findEcP256(prefix + "ake"));
    } catch (HsmException e) {
      throw new InternalFaultException("loading fleet keys '" + prefix + "*' failed: "
          + e.getMessage(), e);
    }
  }

  /** Checks that each x-only key answers consistently with its public key (k·G = K). */
  public void selfTest() throws InternalFaultException {
    Point g = dev.bkv.ec.P256.generator();
    if (!fleetOprf.multiply(g).equals(fleetOprf.publicKey())) {
      throw new InternalFaultException("fleet OPRF key does not match its public key");
    }
    if (!ake.multiply(g).equals(ake.publicKey())) {
      throw new InternalFaultException("AKE key does not match its public key");
    }
  }

  @Override
  public Point serverPublicKey() {
    return ake.publicKey();
  }

  @Override
  public Point evaluate(byte[] credentialIdentifier, Point blindedElement)
      throws InternalFaultException {
    byte[] seed = mac(OpaqueDerivations.oprfSeedHmacInput(credentialIdentifier));
    Scalar t = OpaqueDerivations.oprfKeyFromSeed(seed);
    java.util.Arrays.fill(seed, (byte) 0);
    return fleetOprf.multiply(blindedElement.multiply(t));
  }

  @Override
  public Point dh(Point clientPublicKeyshare) throws InternalFaultException {
    return ake.multiply(clientPublicKeyshare);
  }

  /** One x-only ECDH with the AKE key (the fleet channel's {@code es}). */
  @Override
  public byte[] staticX(Point peer) throws InternalFaultException {
    return akeEcdh.x(peer);
  }

  @Override
  public SecretBytes fakeRecordSeed(byte[] credentialIdentifier) throws InternalFaultException {
    byte[] seed = mac(OpaqueDerivations.fakeRecordHmacInput(credentialIdentifier));
    SecretBytes s = SecretBytes.copyOf(seed);
    java.util.Arrays.fill(seed, (byte) 0);
    return s;
  }

  private byte[] mac(byte[] data) throws InternalFaultException {
    byte[] tag = oprfSeedHmac.hmac(data);
    if (tag == null || tag.length != 32) {
      throw new InternalFaultException("oprf_seed HMAC returned "
          + (tag == null ? "null" : tag.length + " bytes") + "; expected 32");
    }
    return tag;
  }

  @Override
  public String toString() {
    return "HsmServerKeys[publicKey=" + ake.publicKey() + "]";
  }
}
