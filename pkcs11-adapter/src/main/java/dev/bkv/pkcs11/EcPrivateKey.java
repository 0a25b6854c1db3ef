package dev.bkv.pkcs11;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

import dev.bkv.pkcs11.internal.Curves;
import dev.bkv.pkcs11.internal.EcdhX;
import dev.bkv.pkcs11.internal.Finder;
import dev.bkv.pkcs11.internal.Involved;
import dev.bkv.pkcs11.internal.Sha256;
import dev.bkv.pkcs11.internal.TokenCore;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.Session;

/**
 * A P-256 private key on the token: x-only ECDH ({@code CKM_ECDH1_DERIVE}, {@code CKD_NULL}),
 * read directly or wrapped out where the token keeps derived values in ({@link EcdhRoute}),
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

  /**
   * How this key's token releases the ECDH x-coordinate ({@link EcdhRoute}): decided by the
   * token's first ECDH and remembered; if none was done yet, one is done now, with the curve's
   * generator as the peer point (its x-coordinate is this key's public x, nothing secret).
   *
   * @throws HsmException if the token releases no ECDH value (the message names both refusals)
   */
  public EcdhRoute ecdhRoute() throws HsmException {
    return withHandle(ecdhWhat, (s, h) -> {
      var known = EcdhX.known(s);
      if (known.isPresent()) {
        return known.get();
      }
      java.util.Arrays.fill(EcdhX.derive(s, h, EcdhX.p256Generator(), ecdhWhat), (byte) 0);
      return EcdhX.known(s).orElseThrow();
    });
  }

  /**
   * {@code CKM_ECDH1_DERIVE} into a session secret whose x-coordinate reaches the host by the
   * token's {@link EcdhRoute}; the secret is destroyed before returning.
   */
  static byte[] deriveX(Session s, long h, byte[] peer, String what)
      throws PKCS11Exception, HsmException {
    return EcdhX.derive(s, h, peer, what);
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
