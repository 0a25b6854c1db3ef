package dev.bkv.pkcs11.internal;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

import dev.bkv.pkcs11.HsmException;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESWrapEngine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.Session;
import org.xipki.pkcs11.wrapper.params.ECDH1_DERIVE_PARAMS;

/**
 * The ECDH x-coordinate of a token that will not let a derived value be read: the secret is
 * derived as an extractable (possibly sensitive) session object, wrapped with
 * {@code CKM_AES_KEY_WRAP} (RFC 3394, no padding: the secret is 32 bytes) under an AES-256
 * session key created with a value the host drew, and unwrapped here with BouncyCastle, which
 * checks RFC 3394's integrity value. Both session objects are destroyed before returning and the
 * host key's bytes are cleared; they are never logged. Thales' own OpenSSL provider takes the
 * same route (under RSA-OAEP).
 */
public final class WrapOut {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** RFC 3394 output for a 32-byte secret: the 8-byte integrity block, then the 32 bytes. */
  private static final int WRAPPED_BYTES = 40;

  private WrapOut() {}

  /** x(k·P) for the private key {@code key} and the 65-byte uncompressed point {@code peer}. */
  public static byte[] deriveX(Session s, long key, byte[] peer, String what)
      throws PKCS11Exception, HsmException {
    long secret = s.deriveKey(Involved.mechanism(CKM_ECDH1_DERIVE,
        new ECDH1_DERIVE_PARAMS(CKD_NULL, null, peer)), key, Involved.template(derivedSecret()));
    long hostKey = 0;
    byte[] hostValue = new byte[32];
    byte[] wrapped = null;
    byte[] x;
    try {
      RANDOM.nextBytes(hostValue);
      hostKey = s.createObject(Involved.template(hostKey(hostValue)));
      wrapped = s.wrapKey(Involved.mechanism(CKM_AES_KEY_WRAP), hostKey, secret);
      x = unwrap(hostValue, wrapped, what);
    } catch (PKCS11Exception | HsmException | RuntimeException e) {
      destroyQuietly(s, hostKey);
      destroyQuietly(s, secret);
      throw e;
    } finally {
      Arrays.fill(hostValue, (byte) 0);
      if (wrapped != null) {
        Arrays.fill(wrapped, (byte) 0);
      }
    }
    try {
      s.destroyObject(hostKey);
      s.destroyObject(secret);
    } catch (PKCS11Exception e) {
      Arrays.fill(x, (byte) 0);
      throw e;
    }
    return x;
  }

  /** RFC 3394 unwrap on the host, integrity value checked. */
  static byte[] unwrap(byte[] hostValue, byte[] wrapped, String what) throws HsmException {
    if (wrapped == null || wrapped.length != WRAPPED_BYTES) {
      throw new HsmException(what, "C_WrapKey returned " + (wrapped == null ? "nothing"
          : wrapped.length + " bytes") + "; expected " + WRAPPED_BYTES + " (RFC 3394 of a 32-byte "
          + "x-coordinate) [mechanism CKM_AES_KEY_WRAP]");
    }
    AESWrapEngine engine = new AESWrapEngine();
    engine.init(false, new KeyParameter(hostValue));
    try {
      return engine.unwrap(wrapped, 0, wrapped.length);
    } catch (InvalidCipherTextException e) {
      throw new HsmException(what, "the secret wrapped out under the host session key fails "
          + "RFC 3394's integrity check [mechanism CKM_AES_KEY_WRAP]");
    }
  }

  /** The derived secret: a session object, extractable so that it can be wrapped, sensitive. */
  static AttributeVector derivedSecret() {
    return new AttributeVector().class_(CKO_SECRET_KEY).keyType(CKK_GENERIC_SECRET)
        .token(false).private_(true).sensitive(true).extractable(true).valueLen(32);
  }

  /** The host-known AES-256 session key: wraps only, never leaves the token itself. */
  private static AttributeVector hostKey(byte[] value) {
    return new AttributeVector().class_(CKO_SECRET_KEY).keyType(CKK_AES).token(false)
        .private_(true).sensitive(true).extractable(false).wrap(true).unwrap(false)
        .encrypt(false).decrypt(false).value(value);
  }

  private static void destroyQuietly(Session s, long handle) {
    if (handle == 0) {
      return;
    }
    try {
      s.destroyObject(handle);
    } catch (PKCS11Exception ignored) {
      // a session object: it goes with its session at the latest
    }
  }
}
