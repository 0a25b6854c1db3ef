package dev.bkv.pkcs11.internal;

import dev.bkv.pkcs11.Ckr;
import dev.bkv.pkcs11.HsmConfigException;
import dev.bkv.pkcs11.HsmException;
import dev.bkv.pkcs11.Pkcs11Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
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
  /** The {@code pReserved} string each loaded module was initialized with ("" for none). */
  private static final ConcurrentHashMap<Path, String> INIT_ARGS = new ConcurrentHashMap<>();

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
    return get(library, Optional.empty());
  }

  /**
   * The module at {@code library}, initialized on first use with {@code initArgs} as
   * {@code C_Initialize}'s reserved parameter ({@code pkcs11.init-args}). A module is
   * initialized once per JVM: asking for it again with other init args is a config error.
   */
  public static PKCS11Module get(Path library, Optional<String> initArgs) throws HsmException {
    Path key = canonical(library);
    String args = initArgs.orElse("");
    PKCS11Module m = MODULES.get(key);
    if (m == null) {
      synchronized (MODULES) {
        m = MODULES.get(key);
        if (m == null) {
          m = load(library, args);
          MODULES.put(key, m);
          INIT_ARGS.put(key, args);
        }
      }
    }
    String loadedWith = INIT_ARGS.getOrDefault(key, "");
    if (!loadedWith.equals(args)) {
      throw new HsmConfigException("loading PKCS#11 module " + library, "already initialized in this "
          + "process with other " + Pkcs11Config.INIT_ARGS + " (a module takes C_Initialize once; "
          + "use one process per configuration)");
    }
    return m;
  }

  /**
   * What to add to a failed {@code C_Initialize}: {@code CKR_ARGUMENTS_BAD} from a module given
   * no reserved parameter usually means it needs one (NSS softokn needs its database directory).
   */
  public static String initHint(long ckr, String initArgs) {
    if (ckr != PKCS11Constants.CKR_ARGUMENTS_BAD) {
      return "";
    }
    if (initArgs.isEmpty()) {
      return "the module may need C_Initialize parameters: set " + Pkcs11Config.INIT_ARGS
          + " (NSS softokn: configdir='sql:/path/to/db' certPrefix='' keyPrefix='' secmod='' "
          + "flags=optimizeSpace)";
    }
    return "the module refused " + Pkcs11Config.INIT_ARGS + "; check its syntax for this module, or "
        + "remove the key if the module takes no C_Initialize parameters";
  }

  private static PKCS11Module load(Path library, String initArgs) throws HsmException {
    String what = "loading PKCS#11 module " + library;
    if (!Files.isRegularFile(library)) {
      throw new HsmConfigException(what, "module file does not exist (check pkcs11.module)");
    }
    PKCS11Module m;
    try {
      m = PKCS11Module.getInstance(library.toString());
      if (!initArgs.isEmpty()) {
        // getInstance loaded the wrapper's native part; this binding passes pReserved
        m = new PKCS11Module(new InitArgsImplementation(library.toString(), initArgs)) {};
      }
    } catch (IOException | UnsatisfiedLinkError e) {
      throw new HsmConfigException(what, "cannot load library: " + e.getMessage(), e);
    }
    try {
      m.initialize();
    } catch (PKCS11Exception e) {
      // Another binding in this JVM (SunPKCS11) may have initialized the module already.
      if (e.getErrorCode() != PKCS11Constants.CKR_CRYPTOKI_ALREADY_INITIALIZED) {
        String hint = initHint(e.getErrorCode(), initArgs);
        throw new HsmException(what + " (C_Initialize)", Ckr.of(e.getErrorCode()), hint, e);
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
