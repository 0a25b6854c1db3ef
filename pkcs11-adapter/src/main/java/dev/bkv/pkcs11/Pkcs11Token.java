package dev.bkv.pkcs11;

import dev.bkv.pkcs11.internal.Finder;
import dev.bkv.pkcs11.internal.JcaView;
import dev.bkv.pkcs11.internal.ObjectReader;
import dev.bkv.pkcs11.internal.TokenCore;
import java.security.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.Version;

/**
 * An opened, logged-in token: the entry point to everything bkv does with an HSM.
 *
 * <pre>{@code
 * try (Pkcs11Token token = Pkcs11Token.open(Pkcs11Config.load(path))) {
 *   EcPrivateKey k = token.keys().generateEcP256(KeySpec.of("fleet/1/oprf", KeyUsage.DERIVE));
 *   byte[] x = k.ecdhX(peerPoint);
 * }
 * }</pre>
 *
 * <p>Thread-safe: operations from many threads share a pool of logged-in sessions. The module is
 * loaded once per JVM and shared by all tokens opened from it; {@link #close()} closes this
 * token's sessions only. A lost session or token is reopened, logged in again, and the
 * operation retried once.
 */
public final class Pkcs11Token implements AutoCloseable {
  private final TokenCore core;
  private final TokenKeys keys;
  private Provider jca;

  private Pkcs11Token(TokenCore core) {
    this.core = core;
    this.keys = new TokenKeys(core);
  }

  /**
   * Loads the module (if this JVM has not yet), finds the token and logs in as user.
   *
   * @throws HsmConfigException   module file missing or unloadable, PIN source unreadable
   * @throws HsmNotFoundException no initialized token with that label or serial
   * @throws HsmException         e.g. {@code CKR_PIN_INCORRECT}
   */
  public static Pkcs11Token open(Pkcs11Config config) throws HsmException {
    return new Pkcs11Token(TokenCore.open(config));
  }

  /** Key generation, import and lookup. */
  public TokenKeys keys() {
    return keys;
  }

  /** E.g. {@code token 'member-1' on /usr/lib/softhsm/libsofthsm2.so}. */
  public String description() {
    return core.description();
  }

  public Pkcs11Config config() {
    return core.config();
  }

  /** Manufacturer, model, serial, versions and flags, as the token reports them now. */
  public TokenInfo info() throws HsmException {
    return core.call("reading token info of " + description(), s -> {
      var t = core.slot().getToken().getTokenInfo();
      return new TokenInfo(strip(t.getLabel()), strip(t.getManufacturerID()), strip(t.getModel()),
          strip(t.getSerialNumber()), version(t.getHardwareVersion()), version(t.getFirmwareVersion()),
          TokenFlag.of(t.getFlags()), t.getFlags(), core.slot().getSlotID());
    });
  }

  /** {@code n} bytes from the token's RNG ({@code C_GenerateRandom}). */
  public byte[] random(int n) throws HsmException {
    if (n < 1 || n > 65536) {
      throw new IllegalArgumentException("random length " + n + "; expected 1..65536");
    }
    return core.call("generating random bytes on " + description(), s -> s.generateRandom(n));
  }

  /** Every object this user can see on the token, with its non-secret attributes. */
  public List<ObjectInfo> inventory() throws HsmException {
    return core.call("listing objects on " + description(), s -> {
      List<ObjectInfo> out = new ArrayList<>();
      for (long h : Finder.all(s, null, null, null, null)) {
        try {
          out.add(ObjectReader.read(s, h));
        } catch (PKCS11Exception e) {
          if (e.getErrorCode() != org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_OBJECT_HANDLE_INVALID) {
            throw e;
          } // destroyed while we listed
        }
      }
      return out;
    });
  }

  /** Whether the token offers {@code mechanism}. */
  public boolean supports(Pkcs11Mechanism mechanism) throws HsmException {
    return core.call("listing mechanisms of " + description(),
        s -> Set.of(box(core.slot().getToken().getMechanismList())).contains(mechanism.ckm()));
  }

  /** Fails with {@code CKR_MECHANISM_INVALID} naming the first mechanism the token lacks. */
  public void requireMechanisms(Pkcs11Mechanism... mechanisms) throws HsmException {
    for (Pkcs11Mechanism m : mechanisms) {
      if (!supports(m)) {
        throw new HsmException("checking " + description() + " supports " + m.ckmName(),
            Ckr.MECHANISM_INVALID, null);
      }
    }
  }

  /**
   * Runs {@code action} as the security officer (needs {@code pkcs11.so-pin}): waits for
   * running operations to finish, logs the user out and the SO in, runs, and logs the user back
   * in. Other threads' operations wait meanwhile.
   */
  public <T> T asSecurityOfficer(SoAction<T> action) throws HsmException {
    return core.asSecurityOfficer("acting as security officer on " + description(), s -> {
      SecurityOfficer so = new SecurityOfficer(core, s);
      try {
        return action.run(so);
      } finally {
        so.close();
      }
    });
  }

  /**
   * The JDK's SunPKCS11 provider for the same token, logged in (created once per token). Not
   * registered with {@link java.security.Security}; pass it to {@code getInstance(alg, provider)}.
   */
  public synchronized Provider jcaProvider() throws HsmException {
    if (jca == null) {
      jca = JcaView.create(core);
    }
    return jca;
  }

  /**
   * Reports every operation on this token (its kind, time and {@code CKR_*} result) to {@code
   * observer} from now on; null stops reporting.
   */
  public void observe(HsmObserver observer) {
    core.observe(observer);
  }

  /** Sessions in use by running operations and idle in the pool, right now. */
  public SessionPoolUse sessionPoolUse() {
    return core.sessionPoolUse();
  }

  /** Closes this token's sessions; the module stays loaded for other tokens. */
  @Override
  public void close() {
    core.close();
  }

  /** For tests and benchmarks in this module's test tree: the session machinery. */
  /**
   * Tries on session objects everything the roles of bkv need from this token (see
   * {@code bkv token check}); changes nothing on the token.
   */
  public dev.bkv.pkcs11.check.CheckReport check() {
    return dev.bkv.pkcs11.check.TokenCheck.run(this, core);
  }

  TokenCore core() {
    return core;
  }

  private static String strip(String s) {
    return s == null ? "" : s.strip();
  }

  private static String version(Version v) {
    return v == null ? "" : (v.getMajor() & 0xff) + "." + (v.getMinor() & 0xff);
  }

  private static Long[] box(long[] a) {
    Long[] out = new Long[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i];
    }
    return out;
  }
}
