package dev.bkv.pkcs11;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which PKCS#11 module and token to use and where the PINs come from. Read from the project's
 * properties file (keys under {@code pkcs11.}; other prefixes belong to other parts of bkv and
 * are ignored) or built in code. {@link #toString()} never reveals a PIN.
 *
 * <pre>
 * pkcs11.module      = /usr/lib/softhsm/libsofthsm2.so
 * pkcs11.token-label = member-1          (or pkcs11.token-serial = 1a2b...)
 * pkcs11.user-pin    = env:BKV_USER_PIN  (or file:/etc/bkv/user.pin)
 * pkcs11.so-pin      = file:/etc/bkv/so.pin   (optional, only for security-officer steps)
 * pkcs11.init-args   = configdir='sql:/var/lib/bkv/nssdb' ...  (optional: C_Initialize's pReserved)
 * </pre>
 *
 * @param module path of the PKCS#11 library
 * @param token  which token to open
 * @param userPin where the user PIN comes from
 * @param soPin  where the security officer PIN comes from, if this config may act as SO
 * @param initArgs the string passed as {@code pReserved} of {@code C_Initialize}'s arguments,
 *                 for modules that read their parameters there (NSS softokn); empty for most
 */
public record Pkcs11Config(Path module, TokenSelector token, PinSource userPin,
                           Optional<PinSource> soPin, Optional<String> initArgs) {

  public static final String MODULE = "pkcs11.module";
  public static final String TOKEN_LABEL = "pkcs11.token-label";
  public static final String TOKEN_SERIAL = "pkcs11.token-serial";
  public static final String USER_PIN = "pkcs11.user-pin";
  public static final String SO_PIN = "pkcs11.so-pin";
  public static final String INIT_ARGS = "pkcs11.init-args";
  private static final Set<String> KNOWN =
      Set.of(MODULE, TOKEN_LABEL, TOKEN_SERIAL, USER_PIN, SO_PIN, INIT_ARGS);

  public Pkcs11Config {
    Objects.requireNonNull(module, "module");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(userPin, "userPin");
    Objects.requireNonNull(soPin, "soPin");
    Objects.requireNonNull(initArgs, "initArgs");
    initArgs = initArgs.filter(a -> !a.isBlank());
  }

  /** A config without C_Initialize parameters. */
  public Pkcs11Config(Path module, TokenSelector token, PinSource userPin, Optional<PinSource> soPin) {
    this(module, token, userPin, soPin, Optional.empty());
  }

  /** A config without an SO PIN. */
  public static Pkcs11Config of(Path module, TokenSelector token, PinSource userPin) {
    return new Pkcs11Config(module, token, userPin, Optional.empty());
  }

  /** The same config with a security officer PIN. */
  public Pkcs11Config withSoPin(PinSource so) {
    return new Pkcs11Config(module, token, userPin, Optional.of(so), initArgs);
  }

  /** The same config with {@code args} as C_Initialize's reserved parameter. */
  public Pkcs11Config withInitArgs(String args) {
    return new Pkcs11Config(module, token, userPin, soPin, Optional.ofNullable(args));
  }

  /** Reads the {@code pkcs11.*} keys of a properties file. */
  public static Pkcs11Config load(Path file) throws HsmConfigException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new HsmConfigException("reading config " + file, "cannot read: "
          + e.getClass().getSimpleName() + " " + e.getMessage(), e);
    } catch (IllegalArgumentException e) { // Properties.load: malformed unicode escape
      throw new HsmConfigException("reading config " + file, "not a properties file: "
          + e.getMessage(), e);
    }
    return fromProperties(p, file.toString());
  }

  /**
   * Builds a config from properties; {@code origin} names the source in error messages.
   * Unknown keys under {@code pkcs11.} are rejected; keys outside {@code pkcs11.} are ignored.
   */
  public static Pkcs11Config fromProperties(Properties p, String origin) throws HsmConfigException {
    String where = "reading config " + origin;
    Set<String> unknown = new TreeSet<>();
    for (String key : p.stringPropertyNames()) {
      if (key.startsWith("pkcs11.") && !KNOWN.contains(key)) {
        unknown.add(key);
      }
    }
    if (!unknown.isEmpty()) {
      throw new HsmConfigException(where, "unknown key(s) " + unknown + "; expected only "
          + new TreeSet<>(KNOWN));
    }
    String module = required(p, MODULE, where);
    String label = blankToNull(p.getProperty(TOKEN_LABEL));
    String serial = blankToNull(p.getProperty(TOKEN_SERIAL));
    if ((label == null) == (serial == null)) {
      throw new HsmConfigException(where, "set exactly one of " + TOKEN_LABEL + " and " + TOKEN_SERIAL);
    }
    TokenSelector selector;
    try {
      selector = label != null ? TokenSelector.label(label) : TokenSelector.serial(serial);
    } catch (IllegalArgumentException e) {
      throw new HsmConfigException(where, e.getMessage());
    }
    PinSource user = PinSource.parse(USER_PIN, required(p, USER_PIN, where));
    String so = blankToNull(p.getProperty(SO_PIN));
    Optional<PinSource> soPin = so == null ? Optional.empty() : Optional.of(PinSource.parse(SO_PIN, so));
    try {
      return new Pkcs11Config(Path.of(module), selector, user, soPin,
          Optional.ofNullable(blankToNull(p.getProperty(INIT_ARGS))));
    } catch (InvalidPathException e) {
      throw new HsmConfigException(where, MODULE + " is not a valid path: " + e.getReason());
    }
  }

  /** The {@code pkcs11.*} properties for this config, e.g. to write a file for a child process. */
  public Properties toProperties() {
    Properties p = new Properties();
    p.setProperty(MODULE, module.toString());
    if (token instanceof TokenSelector.Label l) {
      p.setProperty(TOKEN_LABEL, l.label());
    } else if (token instanceof TokenSelector.Serial s) {
      p.setProperty(TOKEN_SERIAL, s.serial());
    }
    if (!(userPin instanceof PinSource.Supplied)) {
      p.setProperty(USER_PIN, userPin.toString());
    }
    soPin.filter(s -> !(s instanceof PinSource.Supplied)).ifPresent(s -> p.setProperty(SO_PIN, s.toString()));
    initArgs.ifPresent(a -> p.setProperty(INIT_ARGS, a));
    return p;
  }

  private static String required(Properties p, String key, String where) throws HsmConfigException {
    String v = blankToNull(p.getProperty(key));
    if (v == null) {
      throw new HsmConfigException(where, "missing required key " + key);
    }
    return v;
  }

  private static String blankToNull(String v) {
    return v == null || v.isBlank() ? null : v.strip();
  }

  @Override
  public String toString() {
    return "Pkcs11Config[module=" + module + ", " + token + ", user-pin=" + userPin
        + ", so-pin=" + soPin.map(Object::toString).orElse("none")
        + initArgs.map(a -> ", init-args=" + a).orElse("") + "]";
  }
}
