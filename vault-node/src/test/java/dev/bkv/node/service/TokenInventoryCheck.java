package dev.bkv.node.service;

import dev.bkv.pkcs11.ObjectClass;
import dev.bkv.pkcs11.ObjectInfo;
import dev.bkv.pkcs11.Pkcs11Config;
import dev.bkv.pkcs11.Pkcs11Token;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * {@code TokenInventoryCheck <member config>}: opens a member's token (its own SOFTHSM2_CONF)
 * after the member stopped and checks that every private and secret key on it is sensitive and
 * not extractable. Prints {@code keys checked: N} and exits 0, or names each offending key and
 * exits 3. Run in its own JVM because SoftHSM2 reads SOFTHSM2_CONF once per process.
 */
public final class TokenInventoryCheck {
  private TokenInventoryCheck() {}

  public static void main(String[] args) throws Exception {
    Path conf = Path.of(args[0]);
    Properties p = VaultNode.loadProperties(conf);
    List<String> bad = new ArrayList<>();
    int checked = 0;
    try (Pkcs11Token token = Pkcs11Token.open(Pkcs11Config.fromProperties(p, conf.toString()))) {
      for (ObjectInfo o : token.inventory()) {
        if (o.objectClass() == ObjectClass.PRIVATE_KEY
            || o.objectClass() == ObjectClass.SECRET_KEY) {
          checked++;
          if (!Boolean.FALSE.equals(o.extractable()) || !Boolean.TRUE.equals(o.sensitive())) {
            bad.add(o.label() + " extractable=" + o.extractable() + " sensitive="
                + o.sensitive());
          }
        }
      }
    }
    if (!bad.isEmpty()) {
      System.out.println("keys that may leave the token: " + bad);
      System.exit(3);
    }
    System.out.println("keys checked: " + checked);
  }
}
