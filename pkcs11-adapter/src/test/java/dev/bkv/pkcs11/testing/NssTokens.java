package dev.bkv.pkcs11.testing;

import dev.bkv.pkcs11.PinSource;
import dev.bkv.pkcs11.Pkcs11Config;
import dev.bkv.pkcs11.TokenSelector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * An NSS softokn database for tests: created with {@code certutil -N} under
 * {@code target/bkv-test/nss} with a password, and a config that loads
 * {@code libsoftokn3.so} directly with {@code pkcs11.init-args} naming that database and its
 * token label. softokn takes {@code C_Initialize} once per process, so every test in a JVM
 * shares the one database. Fails loudly when NSS or {@code certutil} is missing.
 */
public final class NssTokens {
  /** Debian's softokn (package libnss3). */
  public static final Path MODULE = Path.of(System.getProperty("bkv.nss.module",
      "/usr/lib/x86_64-linux-gnu/libsoftokn3.so"));
  public static final String LABEL = "bkv-nss-test";
  private static final String PASSWORD = "nss-test-password-1";
  private static Pkcs11Config shared;

  private NssTokens() {}

  /** The shared database's config (created on first use). */
  public static synchronized Pkcs11Config shared() {
    if (shared == null) {
      Path dir = Path.of(System.getProperty("user.dir"), "target", "bkv-test", "nss");
      shared = create(dir);
    }
    return shared;
  }

  /** C_Initialize parameters for the database in {@code dir}. */
  public static String initArgs(Path dir) {
    return "configdir='sql:" + dir + "' certPrefix='' keyPrefix='' secmod='' "
        + "flags=optimizeSpace dbTokenDescription='" + LABEL + "'";
  }

  private static Pkcs11Config create(Path dir) {
    if (!Files.isRegularFile(MODULE)) {
      throw new IllegalStateException("NSS softokn not found at " + MODULE
          + " (install libnss3: scripts/setup does)");
    }
    try {
      if (Files.exists(dir)) {
        try (var files = Files.walk(dir)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
      Files.createDirectories(dir);
      Path pw = dir.resolve("password");
      Files.writeString(pw, PASSWORD + "\n", StandardCharsets.UTF_8);
      Process p = new ProcessBuilder("certutil", "-N", "-d", "sql:" + dir, "-f", pw.toString())
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("certutil -N failed: " + out);
      }
      return new Pkcs11Config(MODULE, TokenSelector.label(LABEL),
          PinSource.of(PASSWORD.toCharArray()), java.util.Optional.empty(),
          java.util.Optional.of(initArgs(dir)));
    } catch (IOException e) {
      throw new IllegalStateException("cannot create an NSS database in " + dir
          + " (certutil from libnss3-tools missing?): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
