package dev.bkv.pkcs11;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

import dev.bkv.pkcs11.internal.Curves;
import dev.bkv.pkcs11.internal.Finder;
import dev.bkv.pkcs11.internal.Involved;
import dev.bkv.pkcs11.internal.Sha256;
import dev.bkv.pkcs11.internal.Templates;
import dev.bkv.pkcs11.internal.TokenCore;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.Session;
import org.xipki.pkcs11.wrapper.params.ECDH1_DERIVE_PARAMS;

/**
 * A P-256 private key on the token: x-only ECDH ({@code CKM_ECDH1_DERIVE}, {@code CKD_NULL})
 * and ECDSA ({@code CKM_ECDSA} over a SHA-256 digest computed on the host), depending on the
 * usages it was created with.
 */
public final class EcPrivateKey extends HsmKey {
  private final String ecdhWhat;
  private final String signWhat;
  private volatile PublicValue.EcP256 publicPoint;

  EcPrivateKey(TokenCore core, String label, byte[] id, long handle, PublicValue.EcP256 publicPoint) {
    super(core, ObjectClass.PRIVATE_KEY, KeyType.EC_P256, label, id, handle);
    this.publicPoint = publicPoint;
    this.ecdhWhat = "ECDH with " + this;
    this.signWhat = "ECDSA signing with " + this;
  }

  /**
   * The public key, from the public object with the same label and id. Generated keys have one;
   * imported or unwrapped keys have one only if it was created with them.
   */
  public PublicValue.EcP256 publicKey() throws HsmException {
    PublicValue.EcP256 p = publicPoint;
    if (p == null) {
      p = core.call("reading the public key of " + this, s -> {
        long h = Finder.unique(s, ObjectClass.PUBLIC_KEY, KeyType.EC_P256, label(), id(),
            "reading the public key of " + this);
        byte[] raw = s.getAttrValues(h, CKA_EC_POINT).ecPoint();
        return new PublicValue.EcP256(Curves.bareEcPoint(raw, 65));
      });
      publicPoint = p;
    }
    return p;
  }

  /**
   * ECDH: the 32-byte x-coordinate of {@code k·P} for this key {@code k} and the peer point
   * {@code P} (65-byte uncompressed). The caller must have validated {@code P} is on the curve;
   * the token checks too. The result is secret: the caller owns it and should clear it.
   */
  public byte[] ecdhX(byte[] peerPoint) throws HsmException {
    if (peerPoint == null || peerPoint.length != 65 || peerPoint[0] != 0x04) {
      throw new IllegalArgumentException("peer point is "
          + (peerPoint == null ? "null" : peerPoint.length + " bytes")
          + "; expected 65 bytes, uncompressed (0x04 || x || y)");
    }
    byte[] peer = peerPoint.clone();
    return withHandle(ecdhWhat, (s, h) -> derive(s, h, peer));
  }

  private byte[] derive(Session s, long h, byte[] peer) throws PKCS11Exception, HsmException {
    return deriveX(s, h, peer, ecdhWhat);
  }

  /** {@code CKM_ECDH1_DERIVE} into a readable session secret, read and destroyed at once. */
  static byte[] deriveX(Session s, long h, byte[] peer, String what)
      throws PKCS11Exception, HsmException {
    Mechanism m = Involved.mechanism(CKM_ECDH1_DERIVE, new ECDH1_DERIVE_PARAMS(CKD_NULL, null, peer));
    long secret = s.deriveKey(m, h, Involved.template(Templates.ecdhOutput()));
    try {
      Involved.attributes(CKA_VALUE);
      byte[] x = s.getAttrValues(secret, CKA_VALUE).value();
      if (x == null || x.length != 32) {
        throw new HsmException(what, "token returned "
            + (x == null ? "no value" : x.length + " bytes") + "; expected a 32-byte x-coordinate");
      }
      return x;
    } finally {
      s.destroyObject(secret);
    }
  }


  /** ECDSA P-256 with SHA-256 over {@code message}: raw {@code r || s}, 64 bytes. */
  public byte[] signEcdsa(byte[] message) throws HsmException {
    return signDigest(Sha256.digestFor(signWhat).digest(message));
  }

  /** ECDSA over a 32-byte SHA-256 digest computed by the caller: raw {@code r || s}, 64 bytes. */
  public byte[] signDigest(byte[] digest) throws HsmException {
    if (digest == null || digest.length != 32) {
      throw new IllegalArgumentException("digest must be 32 bytes (SHA-256)");
    }
    byte[] d = digest.clone();
    return withHandle(signWhat, (s, h) -> {
      byte[] sig = s.signSingle(Involved.mechanism(CKM_ECDSA), h, d);
      if (sig.length != 64) {
        throw new HsmException(signWhat, "signature is " + sig.length + " bytes; expected 64 (r || s)");
      }
      return sig;
    });
  }

  @Override
  void destroyCompanions(Session s) throws PKCS11Exception {
    for (long h : Finder.all(s, ObjectClass.PUBLIC_KEY, KeyType.EC_P256, label(), id())) {
      s.destroyObject(h);
    }
  }
}
