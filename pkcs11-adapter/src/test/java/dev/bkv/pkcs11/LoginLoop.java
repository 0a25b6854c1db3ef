package dev.bkv.pkcs11;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKU_USER;

import dev.bkv.pkcs11.internal.ModuleRegistry;
import java.nio.file.Path;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.Session;
import org.xipki.pkcs11.wrapper.Slot;

/**
 * A separate process that logs in and out of one token in a tight loop, to make SoftHSM2's
 * cross-process login contention happen (used by {@link LoginContentionTest}).
 * Args: module, token label, user PIN, seconds.
 */
public final class LoginLoop {
  private LoginLoop() {}

  public static void main(String[] args) throws Exception {
    var module = ModuleRegistry.get(Path.of(args[0]));
    Slot slot = null;
    long giveUp = System.nanoTime() + 10_000_000_000L;
    while (slot == null && System.nanoTime() < giveUp) {
      for (Slot s : module.getSlotList(true)) {
        try {
          if (s.getToken().getTokenInfo().getLabel().strip().equals(args[1])) {
            slot = s;
          }
        } catch (PKCS11Exception busy) {
          // another process holds the token; look again
        }
      }
    }
    if (slot == null) {
      System.out.println("no token " + args[1]);
      System.exit(2);
    }
    char[] pin = args[2].toCharArray();
    long end = System.nanoTime() + Long.parseLong(args[3]) * 1_000_000_000L;
    Session s = slot.getToken().openSession(true);
    int ok = 0;
    int failed = 0;
    while (System.nanoTime() < end) {
      try {
        s.login(CKU_USER, pin);
        s.generateRandom(8);
        s.logout();
        ok++;
      } catch (PKCS11Exception e) {
        failed++;
      }
    }
    System.out.println("logins ok=" + ok + " failed=" + failed);
  }
}
