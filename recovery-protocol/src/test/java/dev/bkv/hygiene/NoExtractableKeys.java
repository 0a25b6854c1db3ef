package dev.bkv.hygiene;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.pkcs11.HsmException;
import dev.bkv.pkcs11.ObjectClass;
import dev.bkv.pkcs11.ObjectInfo;
import dev.bkv.pkcs11.Pkcs11Token;
import java.util.List;

/**
 * Inventory check run after every test that creates keys: no private or secret key on the
 * token may be extractable, and each must be sensitive. Returns how many keys were checked, so
 * a caller can assert the check actually saw its keys.
 */
public final class NoExtractableKeys {
  private NoExtractableKeys() {}

  public static int check(Pkcs11Token token) throws HsmException {
    List<ObjectInfo> inventory = token.inventory();
    int checked = 0;
    for (ObjectInfo o : inventory) {
      if (o.objectClass() == ObjectClass.PRIVATE_KEY || o.objectClass() == ObjectClass.SECRET_KEY) {
        assertTrue(Boolean.FALSE.equals(o.extractable()), "extractable key on the token: " + o);
        assertTrue(Boolean.TRUE.equals(o.sensitive()), "non-sensitive key on the token: " + o);
        checked++;
      }
    }
    return checked;
  }
}
