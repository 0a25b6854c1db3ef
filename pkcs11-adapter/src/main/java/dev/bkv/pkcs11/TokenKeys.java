package dev.bkv.pkcs11;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

import dev.bkv.pkcs11.internal.Finder;
import dev.bkv.pkcs11.internal.Involved;
import dev.bkv.pkcs11.internal.ObjectReader;
import dev.bkv.pkcs11.internal.Templates;
import dev.bkv.pkcs11.internal.TokenCore;
import java.util.EnumSet;
import java.util.Set;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.KeyPairTemplate;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11KeyPair;

/**
 * Creating and finding keys on one token. Every template is explicit (see {@link KeySpec});
 * labels are unique per object class, so keys are found by label.
 */
public final class TokenKeys {
  private static final Set<KeyUsage> EC_USAGES = EnumSet.of(KeyUsage.DERIVE, KeyUsage.SIGN);
  private static final Set<KeyUsage> AES_USAGES =
      EnumSet.of(KeyUsage.ENCRYPT, KeyUsage.DECRYPT, KeyUsage.WRAP, KeyUsage.UNWRAP);
  private static final Set<KeyUsage> HMAC_USAGES = EnumSet.of(KeyUsage.SIGN, KeyUsage.VERIFY);
  private static final Set<KeyUsage> RSA_USAGES =
      EnumSet.of(KeyUsage.UNWRAP, KeyUsage.DECRYPT, KeyUsage.SIGN);

  private final TokenCore core;
  private final KeyImports imports;

  TokenKeys(TokenCore core) {
    this.core = core;
    this.imports = new KeyImports(core);
  }

  /** A P-256 key pair, generated on the token ({@code CKA_LOCAL=true}); derive and/or sign. */
  public EcPrivateKey generateEcP256(KeySpec spec) throws HsmException {
    Creation.requireUsages(spec, KeyType.EC_P256, EC_USAGES);
    byte[] id = Creation.idFor(spec);
    PKCS11KeyPair kp = generatePair(spec, KeyType.EC_P256, CKM_EC_KEY_PAIR_GEN, id, 0);
    return new EcPrivateKey(core, spec.label(), id, kp.getPrivateKey(), null);
  }

  /** An Ed25519 key pair ({@code CKM_EC_EDWARDS_KEY_PAIR_GEN}); sign only. */
  public Ed25519PrivateKey generateEd25519(KeySpec spec) throws HsmException {
    Creation.requireUsages(spec, KeyType.ED25519, EnumSet.of(KeyUsage.SIGN));
    byte[] id = Creation.idFor(spec);
    PKCS11KeyPair kp = generatePair(spec, KeyType.ED25519, CKM_EC_EDWARDS_KEY_PAIR_GEN, id, 0);
    return new Ed25519PrivateKey(core, spec.label(), id, kp.getPrivateKey(), null);
  }

  /** An RSA key pair of {@code bits} (2048 or more), for receiving wrapped transport keys. */
  public RsaPrivateKey generateRsa(KeySpec spec, int bits) throws HsmException {
    Creation.requireUsages(spec, KeyType.RSA, RSA_USAGES);
    if (bits < 2048 || bits % 1024 != 0) {
      throw new IllegalArgumentException("RSA key size " + bits + "; expected 2048, 3072 or 4096");
    }
    byte[] id = Creation.idFor(spec);
    PKCS11KeyPair kp = generatePair(spec, KeyType.RSA, CKM_RSA_PKCS_KEY_PAIR_GEN, id, bits);
    return new RsaPrivateKey(core, spec.label(), id, kp.getPrivateKey());
  }

  /** An AES-256 key: encrypt/decrypt (GCM) or wrap/unwrap (KWP). */
  public AesKey generateAes256(KeySpec spec) throws HsmException {
    Creation.requireUsages(spec, KeyType.AES, AES_USAGES);
    return (AesKey) generateSecret(spec, KeyType.AES, CKM_AES_KEY_GEN);
  }

  /** A 32-byte generic secret for HMAC-SHA256. */
  public HmacKey generateHmacKey(KeySpec spec) throws HsmException {
    Creation.requireUsages(spec, KeyType.GENERIC_SECRET, HMAC_USAGES);
    return (HmacKey) generateSecret(spec, KeyType.GENERIC_SECRET, CKM_GENERIC_SECRET_KEY_GEN);
  }

  /** Imports a P-256 private key from its 32-byte scalar; see {@link KeyImports#ecP256}. */
  public EcPrivateKey importEcP256(KeySpec spec, byte[] scalar, PublicValue.EcP256 publicKey)
      throws HsmException {
    Creation.requireUsages(spec, KeyType.EC_P256, EC_USAGES);
    return imports.ecP256(spec, scalar, publicKey);
  }

  /** Imports a 32-byte generic secret (HMAC key), sensitive and non-extractable. */
  public HmacKey importHmacKey(KeySpec spec, byte[] secret) throws HsmException {
    Creation.requireUsages(spec, KeyType.GENERIC_SECRET, HMAC_USAGES);
    return imports.genericSecret(spec, secret);
  }

  /** Creates an (untrusted) public key object, e.g. the public half of an unwrapped key. */
  public PublicKeyObject importPublicKey(String label, byte[] id, PublicValue value) throws HsmException {
    return imports.publicKey(label, id, value);
  }

  /** Stores an X.509 certificate for a key (same label and id) so JCA key stores can see it. */
  public void importCertificate(String label, byte[] id, byte[] der) throws HsmException {
    imports.certificate(label, id, der);
  }

  public EcPrivateKey findEcP256(String label) throws HsmException {
    Found f = find(ObjectClass.PRIVATE_KEY, KeyType.EC_P256, label);
    return new EcPrivateKey(core, label, f.id(), f.handle(), null);
  }

  public Ed25519PrivateKey findEd25519(String label) throws HsmException {
    Found f = find(ObjectClass.PRIVATE_KEY, KeyType.ED25519, label);
    return new Ed25519PrivateKey(core, label, f.id(), f.handle(), null);
  }

  public RsaPrivateKey findRsa(String label) throws HsmException {
    Found f = find(ObjectClass.PRIVATE_KEY, KeyType.RSA, label);
    return new RsaPrivateKey(core, label, f.id(), f.handle());
  }

  public AesKey findAes(String label) throws HsmException {
    Found f = find(ObjectClass.SECRET_KEY, KeyType.AES, label);
    return new AesKey(core, label, f.id(), f.handle());
  }

  public HmacKey findHmacKey(String label) throws HsmException {
    Found f = find(ObjectClass.SECRET_KEY, KeyType.GENERIC_SECRET, label);
    return new HmacKey(core, label, f.id(), f.handle());
  }

  /** A public key object (EC, Ed25519 or RSA) by label. */
  public PublicKeyObject findPublicKey(String label) throws HsmException {
    String what = "finding public key '" + label + "' on " + core.description();
    return core.call(what, s -> {
      long h = Finder.unique(s, ObjectClass.PUBLIC_KEY, null, label, null, what);
      ObjectInfo info = ObjectReader.read(s, h);
      return new PublicKeyObject(core, info.keyType(), label, info.id(), h, info.publicValue());
    });
  }

  /** Whether any object carries this label. */
  public boolean exists(String label) throws HsmException {
    return core.call("looking for '" + label + "'",
        s -> Finder.all(s, null, null, label, null).length > 0);
  }

  /**
   * Destroys every object that carries this label (key pairs lose both halves) and returns how many
   * objects were destroyed; zero means none had the label.
   */
  public int destroyAll(String label) throws HsmException {
    String what = "destroying objects labelled '" + label + "' on " + core.description();
    return core.call(what, s -> {
      long[] handles = Finder.all(s, null, null, label, null);
      for (long h : handles) {
        s.destroyObject(h);
      }
      return handles.length;
    });
  }

  private record Found(long handle, byte[] id) {}

  private Found find(ObjectClass cls, KeyType type, String label) throws HsmException {
    String what = "finding " + type + " key '" + label + "' on " + core.description();
    return core.call(what, s -> {
      long h = Finder.unique(s, cls, type, label, null, what);
      byte[] id = s.getAttrValues(h, CKA_ID).id();
      return new Found(h, id == null ? new byte[0] : id);
    });
  }

  private PKCS11KeyPair generatePair(KeySpec spec, KeyType type, long mech, byte[] id, int bits)
      throws HsmException {
    String what = "generating " + type + " key pair '" + spec.label() + "' on " + core.description();
    AttributeVector pub = Templates.publicKey(type, spec, id);
    if (bits > 0) {
      Templates.rsaSize(pub, bits);
    }
    AttributeVector priv = Templates.privateKey(type, spec, id);
    return core.create(what, spec.persistent(), s -> {
      Creation.requireFreeLabel(s, ObjectClass.PRIVATE_KEY, spec.label(), what);
      try {
        return s.generateKeyPair(Involved.mechanism(mech),
            new KeyPairTemplate(Involved.template(priv), Involved.template(pub)));
      } catch (PKCS11Exception e) {
        if (!Templates.mayBeForcedUsages(e.getErrorCode())) {
          throw e;
        }
        return s.generateKeyPair(Involved.mechanism(mech), new KeyPairTemplate(
            Templates.withoutFalseUsages(priv), Templates.withoutFalseUsages(pub)));
      }
    });
  }

  private HsmKey generateSecret(KeySpec spec, KeyType type, long mech) throws HsmException {
    String what = "generating " + type + " key '" + spec.label() + "' on " + core.description();
    byte[] id = Creation.idFor(spec);
    long h = core.create(what, spec.persistent(), s -> {
      Creation.requireFreeLabel(s, ObjectClass.SECRET_KEY, spec.label(), what);
      AttributeVector t = Templates.secretKey(type, spec, id, 32);
      try {
        return s.generateKey(Involved.mechanism(mech), Involved.template(t));
      } catch (PKCS11Exception e) {
        if (!Templates.mayBeForcedUsages(e.getErrorCode())) {
          throw e;
        }
        return s.generateKey(Involved.mechanism(mech), Templates.withoutFalseUsages(t));
      }
    });
    return Creation.secret(core, type, spec, id, h);
  }
}
