package dev.bkv.pkcs11.testing;

import dev.bkv.pkcs11.PinSource;
import dev.bkv.pkcs11.Pkcs11Config;
import dev.bkv.pkcs11.TokenSelector;
import dev.bkv.pkcs11.internal.ModuleRegistry;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fresh SoftHSM2 tokens for tests. Uses the config file named by {@code SOFTHSM2_CONF} (surefire
 * sets it to {@code target/bkv-test/softhsm2.conf}), writing it and its token directory if
 * missing. Each call creates a new token with a unique label and random PINs and returns a
 * ready {@link Pkcs11Config} (user and SO PIN supplied in code).
 *
 * <p>SoftHSM2 reads its token directory once per process, at {@code C_Initialize}. So before the
 * module is loaded in this JVM tokens are made with {@code softhsm2-util --init-token}; after,
 * through the loaded module ({@code C_InitToken} on its free slot, then {@code C_InitPIN}), so
 * that this JVM sees them. Either way other processes see them on their next start. Fails
 * loudly (never skips) when SoftHSM2 or {@code softhsm2-util} is missing.
 */
public final class SoftHsmTokens {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final AtomicInteger SEQ = new AtomicInteger();

  /** A created token: its label, its PINs (test secrets only) and a config for it. */
  public record TestToken(String label, String userPin, String soPin, Pkcs11Config config) {
    public TestToken {
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(config, "config");
    }

    /**
     * Writes the PINs to {@code user.pin} and {@code so.pin} (owner-only) in {@code dir} and
     * returns a config reading them via {@code file:}, e.g. to hand to a child process with
     * {@link Pkcs11Config#toProperties()}.
     */
    public Pkcs11Config configWithPinFiles(Path dir) {
      try {
        Files.createDirectories(dir);
        Path user = writeSecret(dir.resolve("user.pin"), userPin);
        Path so = writeSecret(dir.resolve("so.pin"), soPin);
        return Pkcs11Config.of(config.module(), config.token(), PinSource.file(user))
            .withSoPin(PinSource.file(so));
      } catch (IOException e) {
        throw new IllegalStateException("cannot write PIN files to " + dir + ": " + e, e);
      }
    }

    private static Path writeSecret(Path file, String value) throws IOException {
      Files.deleteIfExists(file);
      Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, value + "\n", StandardCharsets.UTF_8);
      return file;
    }

    @Override
    public String toString() {
      return "TestToken[" + label + "]";
    }
  }

  private SoftHsmTokens() {}

  /** A new token labelled {@code <prefix>-<n>-<random>} (at most 32 characters). */
  public static Pkcs11Config create(String labelPrefix) {
    return createToken(labelPrefix).config();
  }

  /** A new token with a generic prefix. */
  public static Pkcs11Config create() {
    return create("t");
  }

  /** Like {@link #create(String)}, also returning the label and the generated PINs. */
  public static synchronized TestToken createToken(String labelPrefix) {
    Path module = module();
    ensureConf();
    String suffix = "-" + SEQ.incrementAndGet() + "-" + hex(3);
    String prefix = labelPrefix.length() + suffix.length() > 32
        ? labelPrefix.substring(0, 32 - suffix.length()) : labelPrefix;
    String label = prefix + suffix;
    String userPin = hex(8);
    String soPin = hex(8);
    if (ModuleRegistry.isLoaded(module)) {
      InProcessInit.initToken(module, label, userPin, soPin);
    } else {
      runSoftHsmUtil(label, userPin, soPin);
    }
    Pkcs11Config config = Pkcs11Config.of(module, TokenSelector.label(label),
        PinSource.of(userPin.toCharArray())).withSoPin(PinSource.of(soPin.toCharArray()));
    return new TestToken(label, userPin, soPin, config);
  }

  /** The SoftHSM2 module: {@code BKV_SOFTHSM_MODULE} or the Debian path. */
  public static Path module() {
    String env = System.getenv("BKV_SOFTHSM_MODULE");
    Path p = Path.of(env == null || env.isBlank() ? "/usr/lib/softhsm/libsofthsm2.so" : env);
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException("SoftHSM2 module " + p + " not found: install softhsm2 "
          + "(apt-get install softhsm2) or set BKV_SOFTHSM_MODULE");
    }
    return p;
  }

  /** The SoftHSM2 config file named by {@code SOFTHSM2_CONF}, created if missing. */
  public static Path ensureConf() {
    String env = System.getenv("SOFTHSM2_CONF");
    if (env == null || env.isBlank()) {
      throw new IllegalStateException("SOFTHSM2_CONF is not set; run the tests through Maven "
          + "(surefire sets it to target/bkv-test/softhsm2.conf)");
    }
    Path conf = Path.of(env).toAbsolutePath();
    try {
      Path tokens = conf.getParent().resolve("tokens");
      if (!Files.exists(conf)) {
        Files.createDirectories(tokens);
        String text = "# written by SoftHsmTokens for tests\n"
            + "directories.tokendir = " + tokens + "\n"
            + "objectstore.backend = file\n"
            + "log.level = ERROR\n"
            + "slots.removable = false\n";
        Path tmp = Files.createTempFile(conf.getParent(), "softhsm2", ".conf.tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try {
          Files.move(tmp, conf, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException raced) {
          Files.deleteIfExists(tmp);
        }
      }
      for (String line : Files.readAllLines(conf, StandardCharsets.UTF_8)) {
        String l = line.strip();
        if (l.startsWith("directories.tokendir")) {
          Files.createDirectories(Path.of(l.substring(l.indexOf('=') + 1).strip()));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot prepare SoftHSM2 config " + conf + ": " + e, e);
    }
    return conf;
  }

  private static void runSoftHsmUtil(String label, String userPin, String soPin) {
    Path util = findOnPath("softhsm2-util");
    ProcessBuilder pb = new ProcessBuilder(util.toString(), "--init-token", "--free",
        "--label", label, "--pin", userPin, "--so-pin", soPin).redirectErrorStream(true);
    try {
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("softhsm2-util --init-token failed for '" + label + "': " + out.strip());
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run softhsm2-util: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating token " + label, e);
    }
  }

  /** The executable on {@code PATH}; fails loudly if missing. */
  public static Path findOnPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    for (String dir : path.split(File.pathSeparator)) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new IllegalStateException(name + " not found on PATH (" + path + "); install softhsm2 "
        + "and opensc (apt-get install softhsm2 opensc)");
  }

  private static String hex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

}
