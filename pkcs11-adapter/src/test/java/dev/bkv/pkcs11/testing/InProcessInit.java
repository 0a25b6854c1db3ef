package dev.bkv.pkcs11.testing;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKU_SO;

import dev.bkv.pkcs11.HsmException;
import dev.bkv.pkcs11.internal.ModuleRegistry;
import java.nio.file.Path;
import java.util.Arrays;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.PKCS11Module;
import org.xipki.pkcs11.wrapper.Session;
import org.xipki.pkcs11.wrapper.Slot;

/** Initializes a token through the module already loaded in this JVM (see SoftHsmTokens). */
final class InProcessInit {
  private InProcessInit() {}

  static void initToken(Path modulePath, String label, String userPin, String soPin) {
    // softhsm2-util must still exist: the same machine has to be able to make tokens for
    // other processes, and a missing tool should fail here, not later.
    SoftHsmTokens.findOnPath("softhsm2-util");
    try {
      PKCS11Module module = ModuleRegistry.get(modulePath);
      Slot free = null;
      for (Slot s : module.getSlotList(true)) {
        if (!s.getToken().getTokenInfo().isTokenInitialized()) {
          free = s;
          break;
        }
      }
      if (free == null) {
        throw new IllegalStateException("SoftHSM2 offers no free slot to initialize '" + label + "'");
      }
      char[] padded = new char[32];
      Arrays.fill(padded, ' ');
      label.getChars(0, label.length(), padded, 0);
      module.getPKCS11Module().C_InitToken(free.getSlotID(), soPin.toCharArray(), padded, true);
      Session s = free.getToken().openSession(true);
      try {
        s.login(CKU_SO, soPin.toCharArray());
        s.initPIN(userPin.toCharArray());
        s.logout();
      } finally {
        s.closeSession();
      }
    } catch (HsmException e) {
      throw new IllegalStateException("cannot load SoftHSM2 to create '" + label + "': " + e.getMessage(), e);
    } catch (PKCS11Exception | iaik.pkcs.pkcs11.wrapper.PKCS11Exception e) {
      throw new IllegalStateException("cannot initialize token '" + label + "' in process: " + e, e);
    }
  }
}
