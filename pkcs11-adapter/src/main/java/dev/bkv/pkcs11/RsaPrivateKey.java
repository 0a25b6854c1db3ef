package dev.bkv.pkcs11;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

import dev.bkv.pkcs11.internal.Finder;
import dev.bkv.pkcs11.internal.Involved;
import dev.bkv.pkcs11.internal.Templates;
import dev.bkv.pkcs11.internal.TokenCore;
import java.util.ArrayList;
import java.util.List;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.Session;

/**
 * An RSA private key used as a transport key: it unwraps AES keys sent under
 * {@code CKM_RSA_PKCS_OAEP}, by default with SHA-1 and MGF1-SHA1 (the only OAEP variant SoftHSM2
 * accepts), or with the {@link OaepHash} both tokens take.
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

  /** Unwraps an AES key that was wrapped to this key's public half with OAEP (SHA-1). */
  public AesKey unwrapAes(byte[] wrapped, KeySpec spec) throws HsmException {
    return unwrapAes(wrapped, spec, OaepHash.SHA1);
  }

  /** Unwraps an AES key that was wrapped to this key's public half with OAEP using {@code hash}. */
  public AesKey unwrapAes(byte[] wrapped, KeySpec spec, OaepHash hash) throws HsmException {
    byte[] id = Creation.idFor(spec);
    String what = "unwrapping AES key '" + spec.label() + "' with " + this + " (OAEP " + hash + ")";
    long h = core.create(what, spec.persistent(), s -> {
      Creation.requireFreeLabel(s, ObjectClass.SECRET_KEY, spec.label(), what);
      return s.unwrapKey(hash.mechanism(), handle(s), wrapped,
          Involved.template(Templates.secretKey(KeyType.AES, spec, id, 0)));
    });
    return new AesKey(core, spec.label(), id, h);
  }

  /**
   * The OAEP hashes this token takes with this key, tried on it: a fresh extractable AES session
   * key is wrapped to the public half (the object with the same label and id) and unwrapped again
   * with each {@link OaepHash}, in order of preference; every object made goes in the same call.
   */
  public List<OaepHash> oaepHashes() throws HsmException {
    String what = "trying the OAEP hashes of " + this;
    return withHandle(what, (s, h) -> {
      long[] pub = Finder.all(s, ObjectClass.PUBLIC_KEY, KeyType.RSA, label(), id());
      if (pub.length == 0) {
        throw new HsmNotFoundException(what, "no public key object with the label and id of " + this);
      }
      List<OaepHash> out = new ArrayList<>();
      for (OaepHash hash : OaepHash.values()) {
        long probe = s.generateKey(new Mechanism(CKM_AES_KEY_GEN),
            Templates.oaepProbeKey(true));
        try {
          byte[] w = s.wrapKey(hash.mechanism(), pub[0], probe);
          s.destroyObject(s.unwrapKey(hash.mechanism(), h, w, Templates.oaepProbeKey(false)));
          out.add(hash);
        } catch (PKCS11Exception e) {
          // this hash is not taken; the next one is tried
        } finally {
          s.destroyObject(probe);
        }
      }
      return List.copyOf(out);
    });
  }

  @Override
  void destroyCompanions(Session s) throws PKCS11Exception {
    for (long h : Finder.all(s, ObjectClass.PUBLIC_KEY, KeyType.RSA, label(), id())) {
      s.destroyObject(h);
    }
  }
}
