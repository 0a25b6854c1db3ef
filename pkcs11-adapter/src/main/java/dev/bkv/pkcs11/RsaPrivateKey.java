package dev.bkv.pkcs11;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

import dev.bkv.pkcs11.internal.Finder;
import dev.bkv.pkcs11.internal.Involved;
import dev.bkv.pkcs11.internal.Templates;
import dev.bkv.pkcs11.internal.TokenCore;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.Session;
import org.xipki.pkcs11.wrapper.params.RSA_PKCS_OAEP_PARAMS;

/**
 * An RSA private key used as a transport key: it unwraps AES keys sent under
 * {@code CKM_RSA_PKCS_OAEP} with SHA-1 and MGF1-SHA1 (the only OAEP variant SoftHSM2 accepts).
 */
public final class RsaPrivateKey extends HsmKey {

  RsaPrivateKey(TokenCore core, String label, byte[] id, long handle) {
    super(core, ObjectClass.PRIVATE_KEY, KeyType.RSA, label, id, handle);
  }

  /** The public key (modulus and exponent), read from this private key object. */
  public PublicValue.Rsa publicKey() throws HsmException {
    return withHandle("reading the public key of " + this, (s, h) -> {
      AttributeVector a = s.getAttrValues(h, CKA_MODULUS, CKA_PUBLIC_EXPONENT);
      return new PublicValue.Rsa(a.modulus(), a.publicExponent());
    });
  }

  /** Unwraps an AES key that was wrapped to this key's public half with OAEP. */
  public AesKey unwrapAes(byte[] wrapped, KeySpec spec) throws HsmException {
    byte[] id = Creation.idFor(spec);
    String what = "unwrapping AES key '" + spec.label() + "' with " + this;
    long h = core.create(what, spec.persistent(), s -> {
      Creation.requireFreeLabel(s, ObjectClass.SECRET_KEY, spec.label(), what);
      return s.unwrapKey(oaep(), handle(s), wrapped, Involved.template(Templates.secretKey(KeyType.AES, spec, id, 0)));
    });
    return new AesKey(core, spec.label(), id, h);
  }

  static Mechanism oaep() {
    return Involved.mechanism(CKM_RSA_PKCS_OAEP, new RSA_PKCS_OAEP_PARAMS(CKM_SHA_1, CKG_MGF1_SHA1));
  }

  @Override
  void destroyCompanions(Session s) throws PKCS11Exception {
    for (long h : Finder.all(s, ObjectClass.PUBLIC_KEY, KeyType.RSA, label(), id())) {
      s.destroyObject(h);
    }
  }
}
