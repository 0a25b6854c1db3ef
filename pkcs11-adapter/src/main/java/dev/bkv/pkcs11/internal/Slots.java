package dev.bkv.pkcs11.internal;

import dev.bkv.pkcs11.Ckr;
import dev.bkv.pkcs11.HsmException;
import dev.bkv.pkcs11.HsmNotFoundException;
import dev.bkv.pkcs11.TokenSelector;
import java.util.ArrayList;
import java.util.List;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.PKCS11Module;
import org.xipki.pkcs11.wrapper.Slot;
import org.xipki.pkcs11.wrapper.TokenInfo;

/**
 * Finds the slot holding the wanted token. SoftHSM2 re-reads token files on access, and while
 * another process holds a token's file lock its info can briefly fail or look uninitialized; so
 * a miss is retried a few times with short pauses before "no such token" is reported.
 */
final class Slots {
  private static final int ATTEMPTS = 12;

  private Slots() {}

  /** The slot and the serial number of the token in it. */
  record Found(Slot slot, String serial) {}

  static Found find(PKCS11Module module, TokenSelector selector, String what) throws HsmException {
    for (int attempt = 1; ; attempt++) {
      List<String> seen = new ArrayList<>();
      Found found = scan(module, selector, what, seen);
      if (found != null) {
        return found;
      }
      if (attempt == ATTEMPTS) {
        throw new HsmNotFoundException(what, "no such token; the module has "
            + (seen.isEmpty() ? "no initialized tokens" : String.join(", ", seen)));
      }
      try {
        Thread.sleep(Math.min(10L << attempt, 150L));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new HsmException(what, "interrupted while looking for the token");
      }
    }
  }

  private static Found scan(PKCS11Module module, TokenSelector selector, String what,
                            List<String> seen) throws HsmException {
    try {
      for (Slot slot : module.getSlotList(true)) {
        TokenInfo info;
        try {
          info = slot.getToken().getTokenInfo();
        } catch (PKCS11Exception e) {
          continue; // token pulled while we looked
        }
        if (!info.isTokenInitialized()) {
          continue;
        }
        String label = info.getLabel() == null ? "" : info.getLabel().strip();
        String serial = info.getSerialNumber() == null ? "" : info.getSerialNumber().strip();
        if (selector.matches(label, serial)) {
          return new Found(slot, serial);
        }
        seen.add("'" + label + "' (serial " + serial + ")");
      }
    } catch (PKCS11Exception e) {
      throw new HsmException(what + " (listing slots)", Ckr.of(e.getErrorCode()), e);
    }
    return null;
  }
}
