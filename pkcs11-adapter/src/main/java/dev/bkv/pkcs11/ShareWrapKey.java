package dev.bkv.pkcs11;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

import dev.bkv.pkcs11.internal.Curves;
import dev.bkv.pkcs11.internal.Templates;
import java.util.Objects;
import org.xipki.pkcs11.wrapper.KeyPairTemplate;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11KeyPair;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.Session;

/**
 * A group wrap key {@code W_A} of the per-user OPRF key shares (DESIGN §10): an AES-256 key that
 * wraps and unwraps with {@code CKM_AES_KEY_WRAP_PAD}. A share is a P-256 private key that is in
 * plain form only inside one call of this class, as a session object on the token, and is
 * destroyed before the call returns:
 *
 * <ul>
 *   <li>{@link #generate}: {@code C_GenerateKeyPair} (sensitive; extractable so that it can be
 *       wrapped), {@code C_WrapKey} under this key, destroy both halves;</li>
 *   <li>{@link #evaluate}: {@code C_UnwrapKey} under this key as a sensitive, non-extractable
 *       session object, x-only ECDH with each point, destroy.</li>
 * </ul>
 * Every call runs on one pooled session, so shares never meet across threads.
 */
public final class ShareWrapKey {
  private final AesKey key;
  private final String generateWhat;
  private final String evaluateWhat;

  /** A share: its private half wrapped under the group key, and its public point. */
  public record WrappedShare(byte[] wrapped, PublicValue.EcP256 publicKey) {
    public WrappedShare {
      wrapped = Objects.requireNonNull(wrapped, "wrapped").clone();
      Objects.requireNonNull(publicKey, "publicKey");
    }

    @Override
    public byte[] wrapped() {
      return wrapped.clone();
    }
  }

  public ShareWrapKey(AesKey key) {
    this.key = Objects.requireNonNull(key, "key");
    this.generateWhat = "generating an OPRF key share under " + key;
    this.evaluateWhat = "evaluating an OPRF key share under " + key;
  }

  public AesKey key() {
    return key;
  }

  /** A fresh random share, born in the HSM, returned only wrapped under this key. */
  public WrappedShare generate() throws HsmException {
    return key.withHandle(generateWhat, (s, wrapKey) -> {
      PKCS11KeyPair kp = s.generateKeyPair(new Mechanism(CKM_EC_KEY_PAIR_GEN),
          new KeyPairTemplate(Templates.shareGeneration(), Templates.sharePublic()));
      try {
        byte[] point = s.getAttrValues(kp.getPublicKey(), CKA_EC_POINT).ecPoint();
        byte[] wrapped = s.wrapKey(new Mechanism(CKM_AES_KEY_WRAP_PAD), wrapKey,
            kp.getPrivateKey());
        return new WrappedShare(wrapped, new PublicValue.EcP256(Curves.bareEcPoint(point, 65)));
      } finally {
        destroyQuietly(s, kp.getPrivateKey());
        destroyQuietly(s, kp.getPublicKey());
      }
    });
  }

  /**
   * Unwraps {@code wrapped} and returns the 32-byte x-coordinate of {@code r·P} for each peer
   * point {@code P} (65-byte uncompressed, validated by the caller). The results are secret.
   */
  public byte[][] evaluate(byte[] wrapped, byte[]... peerPoints) throws HsmException {
    Objects.requireNonNull(wrapped, "wrapped");
    byte[][] peers = new byte[peerPoints.length][];
    for (int i = 0; i < peers.length; i++) {
      byte[] p = peerPoints[i];
      if (p == null || p.length != 65 || p[0] != 0x04) {
        throw new IllegalArgumentException("peer point " + i + " is "
            + (p == null ? "null" : p.length + " bytes")
            + "; expected 65 bytes, uncompressed (0x04 || x || y)");
      }
      peers[i] = p.clone();
    }
    byte[] blob = wrapped.clone();
    return key.withHandle(evaluateWhat, (s, wrapKey) -> {
      long share = s.unwrapKey(new Mechanism(CKM_AES_KEY_WRAP_PAD), wrapKey, blob,
          Templates.shareEvaluation());
      try {
        byte[][] out = new byte[peers.length][];
        for (int i = 0; i < peers.length; i++) {
          out[i] = EcPrivateKey.deriveX(s, share, peers[i], evaluateWhat);
        }
        return out;
      } finally {
        destroyQuietly(s, share);
      }
    });
  }

  private static void destroyQuietly(Session s, long handle) {
    try {
      s.destroyObject(handle);
    } catch (PKCS11Exception ignored) {
      // a session object: it goes with its session at the latest
    }
  }

  @Override
  public String toString() {
    return "ShareWrapKey[" + key + "]";
  }
}
