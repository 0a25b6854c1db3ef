package dev.bkv.pkcs11.internal;

import dev.bkv.pkcs11.HsmException;
import dev.bkv.pkcs11.Pkcs11Config;
import java.security.AuthProvider;
import java.security.Provider;
import java.security.Security;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.LoginException;

/**
 * The JDK's SunPKCS11 provider pointed at the same module and slot as a {@link TokenCore}. Both
 * bindings share the module's single {@code C_Initialize} (whichever comes second is told
 * "already initialized" and carries on) and its login state: since the adapter is logged in,
 * SunPKCS11 finds its sessions logged in too.
 */
public final class JcaView {
  private static final AtomicInteger SEQ = new AtomicInteger();

  private JcaView() {}

  public static Provider create(TokenCore core) throws HsmException {
    String what = "configuring SunPKCS11 for " + core.description();
    Provider base = Security.getProvider("SunPKCS11");
    if (base == null) {
      throw new HsmException(what, "this JDK has no SunPKCS11 provider (module jdk.crypto.cryptoki)");
    }
    String config = "--name = bkv-" + SEQ.incrementAndGet() + "\n"
        + "library = \"" + core.config().module().toAbsolutePath() + "\"\n"
        + "slot = " + core.slot().getSlotID() + "\n"
        + "attributes(generate, CKO_SECRET_KEY, CKK_GENERIC_SECRET) = {\n"
        + "  CKA_SENSITIVE = false\n  CKA_EXTRACTABLE = true\n}\n";
    Provider p;
    try {
      p = base.configure(config);
    } catch (RuntimeException e) {
      throw new HsmException(what, "SunPKCS11 rejected the configuration: " + e.getMessage(), e);
    }
    if (p instanceof AuthProvider auth) {
      login(core, auth, what);
    }
    return p;
  }

  private static void login(TokenCore core, AuthProvider auth, String what) throws HsmException {
    char[] pin = core.config().userPin().read(Pkcs11Config.USER_PIN);
    try {
      auth.login(null, callbacks -> {
        for (var cb : callbacks) {
          if (cb instanceof PasswordCallback pc) {
            pc.setPassword(pin);
          } else {
            throw new UnsupportedCallbackException(cb);
          }
        }
      });
    } catch (LoginException e) {
      throw new HsmException(what, "SunPKCS11 login failed: " + e.getMessage(), e);
    } finally {
      Arrays.fill(pin, '\0');
    }
  }
}
