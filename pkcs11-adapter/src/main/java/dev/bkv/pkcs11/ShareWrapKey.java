package dev.bkv.pkcs11;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

import dev.bkv.pkcs11.internal.Curves;
import dev.bkv.pkcs11.internal.Templates;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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
 *       session object, x-only ECDH with each point, destroy. A token that refuses the plain
 *       template as incomplete (NSS softokn) is given the share's public point in
 *       {@code CKA_NSS_DB}, from the first refusal on for every later evaluation.</li>
 *   <li>{@link #checkValue}: a known-answer wrap that shows two tokens hold the same key
 *       without revealing it.</li>
 * </ul>
 * Every call runs on one pooled session, so shares never meet across threads.
 */
public final class ShareWrapKey {
  /** The fixed 32-byte secret of the known-answer check (ASCII). */
  public static final String CHECK_SECRET = "bkv share wrap key check value 1";
  private static final byte[] CHECK_BYTES = CHECK_SECRET.getBytes(StandardCharsets.US_ASCII);
  private final AesKey key;
  private final String generateWhat;
  private final String evaluateWhat;
  private final String checkWhat;
  /** Set once the token refused a plain share unwrap and took one with the public point. */
  private volatile boolean sendsPublicValue;

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
    this.checkWhat = "computing the check value of " + key;
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
   * Without the share's public key a token that needs it (NSS softokn) refuses; see
   * {@link #evaluate(byte[], PublicValue.EcP256, byte[]...)}.
   */
  public byte[][] evaluate(byte[] wrapped, byte[]... peerPoints) throws HsmException {
    return evaluate(wrapped, (PublicValue.EcP256) null, peerPoints);
  }

  /**
   * As {@link #evaluate(byte[], byte[]...)}, with the share's public key (from
   * {@link WrappedShare#publicKey()}, stored next to the wrapped share), which a token may need
   * to unwrap it: NSS softokn takes an EC private key only with its public point.
   */
  public byte[][] evaluate(byte[] wrapped, PublicValue.EcP256 publicKey, byte[]... peerPoints)
      throws HsmException {
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
      long share = unwrapShare(s, wrapKey, blob, publicKey);
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

  private long unwrapShare(Session s, long wrapKey, byte[] blob, PublicValue.EcP256 publicKey)
      throws PKCS11Exception {
    Mechanism kwp = new Mechanism(CKM_AES_KEY_WRAP_PAD);
    if (sendsPublicValue && publicKey != null) {
      return s.unwrapKey(kwp, wrapKey, blob,
          Templates.withNssPublicValue(Templates.shareEvaluation(), publicKey.point()));
    }
    try {
      return s.unwrapKey(kwp, wrapKey, blob, Templates.shareEvaluation());
    } catch (PKCS11Exception e) {
      if (publicKey == null || !Templates.mayNeedNssPublicValue(e.getErrorCode())) {
        throw e;
      }
    }
    long share = s.unwrapKey(kwp, wrapKey, blob,
        Templates.withNssPublicValue(Templates.shareEvaluation(), publicKey.point()));
    sendsPublicValue = true;
    return share;
  }

  /**
   * The key's check value: hex SHA-256 of {@code CKM_AES_KEY_WRAP_PAD} of the fixed secret
   * {@value #CHECK_SECRET}, created as a readable session object, wrapped under this key and
   * destroyed in the same call. Key wrap with padding is deterministic, so every token holding
   * the same key gives the same value; the hash reveals nothing about the key.
   */
  public String checkValue() throws HsmException {
    byte[] wrapped = key.withHandle(checkWhat, (s, wrapKey) -> {
      long known = s.createObject(Templates.knownAnswerSecret(CHECK_BYTES.clone()));
      try {
        return s.wrapKey(new Mechanism(CKM_AES_KEY_WRAP_PAD), wrapKey, known);
      } finally {
        destroyQuietly(s, known);
      }
    });
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(wrapped));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
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
