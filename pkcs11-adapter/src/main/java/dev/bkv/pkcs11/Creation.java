package dev.bkv.pkcs11;

import dev.bkv.pkcs11.internal.Finder;
import dev.bkv.pkcs11.internal.TokenCore;
import java.security.SecureRandom;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.Session;

/** Shared steps of creating key objects: ids, label uniqueness, wrapping the handle. */
final class Creation {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Creation() {}

  /** The spec's id, or 16 random bytes if it has none. */
  static byte[] idFor(KeySpec spec) {
    byte[] id = spec.id();
    if (id.length == 0) {
      id = new byte[16];
      RANDOM.nextBytes(id);
    }
    return id;
  }

  /** Refuses to create a second object of the class with the same label. */
  static void requireFreeLabel(Session s, ObjectClass cls, String label, String what)
      throws PKCS11Exception, HsmException {
    if (Finder.all(s, cls, null, label, null).length > 0) {
      throw new HsmException(what, "a " + cls + " labelled '" + label + "' already exists");
    }
  }

  /** Checks the usages a key type can have. */
  static void requireUsages(KeySpec spec, KeyType type, java.util.Set<KeyUsage> allowed) {
    if (spec.usages().isEmpty() || !allowed.containsAll(spec.usages())) {
      throw new IllegalArgumentException(type + " key '" + spec.label() + "' usages " + spec.usages()
          + " are not a non-empty subset of " + allowed);
    }
  }

  /** A key object of the right Java type for a new secret key. */
  static HsmKey secret(TokenCore core, KeyType type, KeySpec spec, byte[] id, long handle) {
    return switch (type) {
      case AES -> new AesKey(core, spec.label(), id, handle);
      case GENERIC_SECRET -> new HmacKey(core, spec.label(), id, handle);
      default -> throw new IllegalArgumentException("not a secret key type: " + type);
    };
  }
}
