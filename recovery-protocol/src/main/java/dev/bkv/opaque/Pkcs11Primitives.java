package dev.bkv.opaque;

import dev.bkv.ec.P256;
import dev.bkv.ec.Point;
import dev.bkv.ec.XOnlyEcdh;
import dev.bkv.pkcs11.EcPrivateKey;
import dev.bkv.pkcs11.HmacKey;
import dev.bkv.pkcs11.HsmException;
import dev.bkv.recovery.BadInputException;
import dev.bkv.recovery.InternalFaultException;

/**
 * Binds pkcs11-adapter keys to the function objects {@link HsmServerKeys} consumes. Token errors
 * become {@link InternalFaultException}s that keep the adapter's message (operation and
 * {@code CKR_*} name; never key material).
 */
public final class Pkcs11Primitives {
  private Pkcs11Primitives() {}

  /** HMAC-SHA256 with a token secret ({@code CKM_SHA256_HMAC}). */
  public static KeyedHmac hmac(HmacKey key) {
    return data -> {
      try {
        return key.sign(data);
      } catch (HsmException e) {
        throw new InternalFaultException("HSM HMAC failed: " + e.getMessage(), e);
      }
    };
  }

  /**
   * x-only ECDH with a token EC key ({@code CKM_ECDH1_DERIVE}); the peer is a validated
   * {@link Point}, passed uncompressed.
   */
  public static XOnlyEcdh ecdh(EcPrivateKey key) {
    return peer -> {
      try {
        return key.ecdhX(peer.toUncompressed());
      } catch (HsmException e) {
        throw new InternalFaultException("HSM ECDH failed: " + e.getMessage(), e);
      }
    };
  }

  /** The key's public point from the token, validated like any peer input. */
  public static Point publicKey(EcPrivateKey key) throws InternalFaultException {
    try {
      return P256.decodePoint(key.publicKey().point());
    } catch (HsmException e) {
      throw new InternalFaultException("reading the HSM public key failed: " + e.getMessage(), e);
    } catch (BadInputException e) {
      throw new InternalFaultException("HSM public key is invalid: " + e.getMessage());
    }
  }
}
