package dev.bkv.pkcs11.internal;

import dev.bkv.pkcs11.Ckr;
import dev.bkv.pkcs11.HsmConfigException;
import dev.bkv.pkcs11.HsmException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import org.xipki.pkcs11.wrapper.PKCS11Constants;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.PKCS11Module;
import org.xipki.pkcs11.wrapper.StaticLogger;

/**
 * One loaded and initialized PKCS#11 module per library path per JVM, shared by every token
 * opened from it. Modules are never finalized: {@code C_Finalize} would pull the module out from
 * under other tokens and under the JDK's SunPKCS11 provider.
 */
public final class ModuleRegistry {
  private static final ConcurrentHashMap<Path, PKCS11Module> MODULES = new ConcurrentHashMap<>();

  static {
    StaticLogger.setLogger(new QuietLogger());
  }

  private ModuleRegistry() {}

  /** Makes sure the wrapper's logger is quiet before any wrapper class logs. */
  public static void quiet() {
    // class initialization does the work
  }

  /** Whether this JVM has already initialized the module at {@code library}. */
  public static boolean isLoaded(Path library) {
    return MODULES.containsKey(canonical(library));
  }

  /** The initialized module at {@code library}, loading it on first use. */
  public static PKCS11Module get(Path library) throws HsmException {
    Path key = canonical(library);
    PKCS11Module m = MODULES.get(key);
    if (m != null) {
      return m;
    }
    synchronized (MODULES) {
      m = MODULES.get(key);
      if (m == null) {
        m = load(library);
        MODULES.put(key, m);
      }
      return m;
    }
  }

  private static PKCS11Module load(Path library) throws HsmException {
    String what = "loading PKCS#11 module " + library;
    if (!Files.isRegularFile(library)) {
      throw new HsmConfigException(what, "module file does not exist (check pkcs11.module)");
    }
    PKCS11Module m;
    try {
      m = PKCS11Module.getInstance(library.toString());
    } catch (IOException | UnsatisfiedLinkError e) {
      throw new HsmConfigException(what, "cannot load library: " + e.getMessage(), e);
    }
    try {
      m.initialize();
    } catch (PKCS11Exception e) {
      // Another binding in this JVM (SunPKCS11) may have initialized the module already.
      if (e.getErrorCode() != PKCS11Constants.CKR_CRYPTOKI_ALREADY_INITIALIZED) {
        throw new HsmException(what, Ckr.of(e.getErrorCode()), e);
      }
    }
    return m;
  }

  private static Path canonical(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return p.toAbsolutePath().normalize();
    }
  }
}
