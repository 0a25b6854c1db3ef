package dev.bkv.pkcs11.internal;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

import dev.bkv.pkcs11.KeyType;
import dev.bkv.pkcs11.KeyUsage;
import dev.bkv.pkcs11.ObjectClass;
import dev.bkv.pkcs11.ObjectInfo;
import dev.bkv.pkcs11.PublicValue;
import java.math.BigInteger;
import java.util.EnumSet;
import java.util.Set;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.Session;

/** Reads an object's non-secret attributes into an {@link ObjectInfo}. */
public final class ObjectReader {
  private static final long[] ATTRIBUTES = {
      CKA_CLASS, CKA_KEY_TYPE, CKA_LABEL, CKA_ID, CKA_TOKEN, CKA_PRIVATE, CKA_LOCAL, CKA_SENSITIVE,
      CKA_ALWAYS_SENSITIVE, CKA_EXTRACTABLE, CKA_NEVER_EXTRACTABLE, CKA_WRAP_WITH_TRUSTED,
      CKA_TRUSTED, CKA_MODIFIABLE, CKA_ENCRYPT, CKA_DECRYPT, CKA_SIGN, CKA_VERIFY, CKA_DERIVE,
      CKA_WRAP, CKA_UNWRAP, CKA_EC_PARAMS, CKA_EC_POINT, CKA_MODULUS, CKA_PUBLIC_EXPONENT};

  private ObjectReader() {}

  public static ObjectInfo read(Session s, long handle) throws PKCS11Exception {
    AttributeVector a = s.getAttrValues(handle, ATTRIBUTES);
    Long cko = a.class_();
    ObjectClass cls = cko == null ? ObjectClass.OTHER : ObjectClass.of(cko);
    Long ckk = a.keyType();
    byte[] ecParams = a.ecParams();
    KeyType type = ckk == null ? null : KeyType.of(ckk, ecParams);
    String label = a.label() == null ? "" : a.label();
    byte[] id = a.id() == null ? new byte[0] : a.id();
    return new ObjectInfo(cls, type, label, id, publicValue(type, a), a.token(), a.private_(),
        a.local(), a.sensitive(), a.alwaysSensitive(), a.extractable(), a.neverExtractable(),
        a.wrapWithTrusted(), a.trusted(), a.modifiable(), usages(a));
  }

  /** The public value carried by the attributes, or null. */
  static PublicValue publicValue(KeyType type, AttributeVector a) {
    if (type == KeyType.EC_P256 && a.ecPoint() != null) {
      byte[] p = Curves.bareEcPoint(a.ecPoint(), 65);
      return p.length == 65 && p[0] == 4 ? new PublicValue.EcP256(p) : null;
    }
    if (type == KeyType.ED25519 && a.ecPoint() != null) {
      byte[] p = Curves.bareEcPoint(a.ecPoint(), 32);
      return p.length == 32 ? new PublicValue.Ed25519(p) : null;
    }
    BigInteger n = a.modulus();
    BigInteger e = a.publicExponent();
    if (type == KeyType.RSA && n != null && e != null && n.signum() > 0 && e.signum() > 0) {
      return new PublicValue.Rsa(n, e);
    }
    return null;
  }

  private static Set<KeyUsage> usages(AttributeVector a) {
    Set<KeyUsage> u = EnumSet.noneOf(KeyUsage.class);
    add(u, KeyUsage.ENCRYPT, a.encrypt());
    add(u, KeyUsage.DECRYPT, a.decrypt());
    add(u, KeyUsage.SIGN, a.sign());
    add(u, KeyUsage.VERIFY, a.verify());
    add(u, KeyUsage.DERIVE, a.derive());
    add(u, KeyUsage.WRAP, a.wrap());
    add(u, KeyUsage.UNWRAP, a.unwrap());
    return u;
  }

  private static void add(Set<KeyUsage> set, KeyUsage u, Boolean flag) {
    if (Boolean.TRUE.equals(flag)) {
      set.add(u);
    }
  }
}
