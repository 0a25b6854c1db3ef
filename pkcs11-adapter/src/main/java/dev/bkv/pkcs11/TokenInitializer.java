package dev.bkv.pkcs11;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKF_RW_SESSION;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKF_SERIAL_SESSION;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_USER_ALREADY_LOGGED_IN;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKU_SO;

import dev.bkv.pkcs11.internal.ModuleRegistry;
import java.util.Arrays;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.PKCS11Module;
import org.xipki.pkcs11.wrapper.Slot;
import org.xipki.pkcs11.wrapper.TokenInfo;

/**
 * Creates a token in a free slot ({@code C_InitToken} with the SO PIN, then {@code C_InitPIN} for
 * the user PIN) — what SoftHSM2 offers for development and CI. Real HSMs are initialised with
 * their vendors' tools. The PINs come from the config's PIN sources and are cleared after use.
 */
public final class TokenInitializer {
  private TokenInitializer() {}

  /**
   * Initialises the token named by {@code config} (which must select by label and have an SO PIN)
   * in the first free slot of its module; fails if a token with that label already exists.
   */
  public static void initialize(Pkcs11Config config) throws HsmException {
    if (!(config.token() instanceof TokenSelector.Label label)) {
      throw new HsmConfigException("initializing a token", "the config must name the new token by "
          + Pkcs11Config.TOKEN_LABEL + ", not by serial");
    }
    String what = "initializing token '" + label.label() + "' on " + config.module();
    if (config.soPin().isEmpty()) {
      throw new HsmConfigException(what, Pkcs11Config.SO_PIN + " is required to create a token");
    }
    if (label.label().length() > 32) {
      throw new HsmConfigException(what, "label is " + label.label().length()
          + " characters; PKCS#11 labels hold at most 32");
    }
    PKCS11Module module = ModuleRegistry.get(config.module(), config.initArgs());
    char[] so = config.soPin().get().read(Pkcs11Config.SO_PIN);
    char[] user = config.userPin().read(Pkcs11Config.USER_PIN);
    try {
      Slot free = freeSlot(module, label.label(), what);
      long slotId = free.getSlotID();
      var p11 = module.getPKCS11Module();
      try {
        p11.C_InitToken(slotId, so, padded(label.label()), true);
        long session = p11.C_OpenSession(slotId, CKF_SERIAL_SESSION | CKF_RW_SESSION, null, null);
        try {
          try {
            p11.C_Login(session, CKU_SO, so, true);
          } catch (iaik.pkcs.pkcs11.wrapper.PKCS11Exception e) {
            if (e.getErrorCode() != CKR_USER_ALREADY_LOGGED_IN) {
              throw e;
            }
          }
          p11.C_InitPIN(session, user, true);
          p11.C_Logout(session);
        } finally {
          p11.C_CloseSession(session);
        }
      } catch (iaik.pkcs.pkcs11.wrapper.PKCS11Exception e) {
        throw new HsmException(what, Ckr.of(module.convertException(e).getErrorCode()), e);
      }
    } finally {
      Arrays.fill(so, '\0');
      Arrays.fill(user, '\0');
    }
  }

  /** PKCS#11 token labels are exactly 32 characters, blank-padded. */
  private static char[] padded(String label) {
    char[] out = new char[32];
    Arrays.fill(out, ' ');
    label.getChars(0, label.length(), out, 0);
    return out;
  }

  private static Slot freeSlot(PKCS11Module module, String label, String what)
      throws HsmException {
    Slot free = null;
    try {
      for (Slot slot : module.getSlotList(true)) {
        TokenInfo info = slot.getToken().getTokenInfo();
        if (!info.isTokenInitialized()) {
          free = free == null ? slot : free;
        } else if (info.getLabel() != null && info.getLabel().strip().equals(label)) {
          throw new HsmException(what, "a token with this label already exists (serial "
              + info.getSerialNumber().strip() + ")");
        }
      }
    } catch (PKCS11Exception e) {
      throw new HsmException(what + " (listing slots)", Ckr.of(e.getErrorCode()), e);
    }
    if (free == null) {
      throw new HsmException(what, "the module has no free slot for a new token");
    }
    return free;
  }
}
