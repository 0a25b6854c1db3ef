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

/** Finds the slot holding the wanted token. */
final class Slots {
  private Slots() {}

  static Slot find(PKCS11Module module, TokenSelector selector, String what) throws HsmException {
    List<String> seen = new ArrayList<>();
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
          return slot;
        }
        seen.add("'" + label + "' (serial " + serial + ")");
      }
    } catch (PKCS11Exception e) {
      throw new HsmException(what + " (listing slots)", Ckr.of(e.getErrorCode()), e);
    }
    throw new HsmNotFoundException(what, "no such token; the module has "
        + (seen.isEmpty() ? "no initialized tokens" : String.join(", ", seen)));
  }
}
