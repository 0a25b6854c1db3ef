package dev.bkv.pkcs11;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

import dev.bkv.pkcs11.internal.Curves;
import dev.bkv.pkcs11.internal.Involved;
import dev.bkv.pkcs11.internal.Templates;
import dev.bkv.pkcs11.internal.TokenCore;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import org.xipki.pkcs11.wrapper.AttributeVector;

/** {@code C_CreateObject} of keys whose value comes from outside (test vectors, peers). */
final class KeyImports {
  private final TokenCore core;

  KeyImports(TokenCore core) {
    this.core = core;
  }

  /**
   * Imports a P-256 private key from its scalar, sensitive and non-extractable (unless the spec
   * is a ceremony key). If {@code publicKey} is given, a public object with the same label and
   * id is created too, so {@link EcPrivateKey#publicKey()} works; the caller vouches that it
   * matches the scalar.
   */
  EcPrivateKey ecP256(KeySpec spec, byte[] scalar, PublicValue.EcP256 publicKey) throws HsmException {
    if (scalar == null || scalar.length != 32) {
      throw new IllegalArgumentException("P-256 scalar must be 32 bytes");
    }
    byte[] id = Creation.idFor(spec);
    String what = "importing EC key '" + spec.label() + "' on " + core.description();
    byte[] value = scalar.clone();
    try {
      AttributeVector priv = Templates.privateKey(KeyType.EC_P256, spec, id)
          .ecParams(Curves.p256Params()).value(value);
      long h = core.create(what, spec.persistent(), s -> {
        Creation.requireFreeLabel(s, ObjectClass.PRIVATE_KEY, spec.label(), what);
        long created = s.createObject(Involved.template(priv));
        if (publicKey != null) {
          s.createObject(Involved.template(Templates.publicKey(KeyType.EC_P256, spec, id).ecPoint(publicKey.point())));
        }
        return created;
      });
      return new EcPrivateKey(core, spec.label(), id, h, publicKey);
    } finally {
      Arrays.fill(value, (byte) 0);
    }
  }

  /** Imports a 32-byte generic secret. */
  HmacKey genericSecret(KeySpec spec, byte[] secret) throws HsmException {
    if (secret == null || secret.length != 32) {
      throw new IllegalArgumentException("generic secret must be 32 bytes");
    }
    byte[] id = Creation.idFor(spec);
    String what = "importing generic secret '" + spec.label() + "' on " + core.description();
    byte[] value = secret.clone();
    try {
      AttributeVector t = Templates.secretKey(KeyType.GENERIC_SECRET, spec, id, 0).value(value);
      long h = core.create(what, spec.persistent(), s -> {
        Creation.requireFreeLabel(s, ObjectClass.SECRET_KEY, spec.label(), what);
        return s.createObject(Involved.template(t));
      });
      return new HmacKey(core, spec.label(), id, h);
    } finally {
      Arrays.fill(value, (byte) 0);
    }
  }

  /**
   * An untrusted public key object (CKA_TRUSTED left at its default, false: tokens without a
   * security officer refuse the attribute). RSA ones may wrap; EC/Ed25519 ones are for read-back.
   */
  PublicKeyObject publicKey(String label, byte[] id, PublicValue value) throws HsmException {
    String what = "importing public key '" + label + "' on " + core.description();
    AttributeVector t = publicTemplate(value, label, id)
        .wrap(value instanceof PublicValue.Rsa).token(true).private_(false).modifiable(true)
        .encrypt(false).verify(false).derive(false);
    long h = core.call(what, s -> {
      Creation.requireFreeLabel(s, ObjectClass.PUBLIC_KEY, label, what);
      return s.createObject(Involved.template(t));
    });
    return new PublicKeyObject(core, typeOf(value), label, id, h, value);
  }

  /**
   * The public key template with the key material of {@code value}. The wrapper DER-encodes
   * {@code CKA_EC_POINT} itself when it writes a template, so a P-256 point goes in bare and the
   * token stores {@code 04 41 04 x y}, one OCTET STRING (PKCS#11 v2.40 §2.3.3), as for a key it
   * generated.
   */
  static AttributeVector publicTemplate(PublicValue value, String label, byte[] id) {
    AttributeVector t = new AttributeVector().class_(CKO_PUBLIC_KEY).label(label).id(id);
    if (value instanceof PublicValue.EcP256 ec) {
      t.keyType(CKK_EC).ecParams(Curves.p256Params()).ecPoint(ec.point());
    } else if (value instanceof PublicValue.Ed25519 ed) {
      t.keyType(CKK_EC_EDWARDS).ecParams(Curves.ed25519Params()).ecPoint(derOctets(ed.key()));
    } else if (value instanceof PublicValue.Rsa rsa) {
      t.keyType(CKK_RSA).modulus(rsa.modulus()).publicExponent(rsa.publicExponent());
    }
    return t;
  }

  static KeyType typeOf(PublicValue value) {
    if (value instanceof PublicValue.EcP256) {
      return KeyType.EC_P256;
    }
    return value instanceof PublicValue.Ed25519 ? KeyType.ED25519 : KeyType.RSA;
  }

  /** Stores an X.509 certificate object. */
  void certificate(String label, byte[] id, byte[] der) throws HsmException {
    String what = "importing certificate '" + label + "' on " + core.description();
    X509Certificate cert;
    try {
      cert = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException e) {
      throw new HsmException(what, "not a DER X.509 certificate: " + e.getMessage(), e);
    }
    AttributeVector t = new AttributeVector().class_(CKO_CERTIFICATE).certificateType(CKC_X_509)
        .token(true).private_(false).modifiable(true).label(label).id(id)
        .subject(cert.getSubjectX500Principal().getEncoded())
        .issuer(cert.getIssuerX500Principal().getEncoded())
        .serialNumber(derInteger(cert.getSerialNumber().toByteArray())).value(der.clone());
    core.call(what, s -> s.createObject(Involved.template(t)));
  }

  /** DER OCTET STRING around a short value (CKA_EC_POINT encoding). */
  static byte[] derOctets(byte[] v) {
    byte[] out = new byte[v.length + 2];
    out[0] = 0x04;
    out[1] = (byte) v.length;
    System.arraycopy(v, 0, out, 2, v.length);
    return out;
  }

  private static byte[] derInteger(byte[] v) {
    byte[] out = new byte[v.length + 2];
    out[0] = 0x02;
    out[1] = (byte) v.length;
    System.arraycopy(v, 0, out, 2, v.length);
    return out;
  }
}
