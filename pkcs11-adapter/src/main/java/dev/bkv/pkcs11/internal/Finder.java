package dev.bkv.pkcs11.internal;

import dev.bkv.pkcs11.HsmException;
import dev.bkv.pkcs11.HsmNotFoundException;
import dev.bkv.pkcs11.KeyType;
import dev.bkv.pkcs11.ObjectClass;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.Session;

/** Object searches by class, key type, label and (optionally) id. */
public final class Finder {
  private Finder() {}

  /** All handles matching; {@code type} and {@code id} may be null to match any. */
  public static long[] all(Session s, ObjectClass cls, KeyType type, String label, byte[] id)
      throws PKCS11Exception {
    AttributeVector t = new AttributeVector();
    if (cls != null) {
      t.class_(cls.cko());
    }
    if (type != null && type != KeyType.OTHER) {
      t.keyType(type.ckk());
    }
    if (label != null) {
      t.label(label);
    }
    if (id != null && id.length > 0) {
      t.id(id);
    }
    return s.findAllObjectsSingle(t);
  }

  /** The one matching object; not found and ambiguous are errors naming the label. */
  public static long unique(Session s, ObjectClass cls, KeyType type, String label, byte[] id,
                            String what) throws PKCS11Exception, HsmException {
    long[] found = all(s, cls, type, label, id);
    if (found.length == 0) {
      throw new HsmNotFoundException(what, "no " + describe(cls, type) + " labelled '" + label + "'");
    }
    if (found.length > 1) {
      throw new HsmException(what, found.length + " objects of class " + cls + " are labelled '"
          + label + "'; labels must be unique");
    }
    return found[0];
  }

  private static String describe(ObjectClass cls, KeyType type) {
    String c = cls == null ? "object" : cls.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    return type == null ? c : type + " " + c;
  }
}
