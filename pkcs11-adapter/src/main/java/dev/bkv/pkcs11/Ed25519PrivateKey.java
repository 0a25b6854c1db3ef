package dev.bkv.pkcs11;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

import dev.bkv.pkcs11.internal.Curves;
import dev.bkv.pkcs11.internal.Finder;
import dev.bkv.pkcs11.internal.Involved;
import dev.bkv.pkcs11.internal.TokenCore;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.Session;

/** An Ed25519 private key: pure EdDSA signatures ({@code CKM_EDDSA}, RFC 8032). */
public final class Ed25519PrivateKey extends HsmKey {
  private final String signWhat;
  private volatile PublicValue.Ed25519 publicKey;

  Ed25519PrivateKey(TokenCore core, String label, byte[] id, long handle, PublicValue.Ed25519 pub) {
    super(core, ObjectClass.PRIVATE_KEY, KeyType.ED25519, label, id, handle);
    this.publicKey = pub;
    this.signWhat = "Ed25519 signing with " + this;
  }

  /** The 32-byte public key, from the public object with the same label and id. */
  public PublicValue.Ed25519 publicKey() throws HsmException {
    PublicValue.Ed25519 p = publicKey;
    if (p == null) {
      String what = "reading the public key of " + this;
      p = core.call(what, s -> {
        long h = Finder.unique(s, ObjectClass.PUBLIC_KEY, KeyType.ED25519, label(), id(), what);
        return new PublicValue.Ed25519(Curves.bareEcPoint(s.getAttrValues(h, CKA_EC_POINT).ecPoint(), 32));
      });
      publicKey = p;
    }
    return p;
  }

  /** A 64-byte Ed25519 signature over {@code message}. */
  public byte[] sign(byte[] message) throws HsmException {
    if (message.length == 0) {
      throw new IllegalArgumentException("message is empty; C_Sign rejects empty input");
    }
    byte[] m = message.clone();
    return withHandle(signWhat, (s, h) -> {
      byte[] sig = s.signSingle(Involved.mechanism(CKM_EDDSA), h, m);
      if (sig.length != 64) {
        throw new HsmException(signWhat, "signature is " + sig.length + " bytes; expected 64");
      }
      return sig;
    });
  }

  @Override
  void destroyCompanions(Session s) throws PKCS11Exception {
    for (long h : Finder.all(s, ObjectClass.PUBLIC_KEY, KeyType.ED25519, label(), id())) {
      s.destroyObject(h);
    }
  }
}
