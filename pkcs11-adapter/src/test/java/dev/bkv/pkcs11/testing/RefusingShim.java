package dev.bkv.pkcs11.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds {@code src/test/c/refusing-shim.c} with gcc: a PKCS#11 module that forwards to SoftHSM2
 * but refuses {@code C_SetAttributeValue(CKA_EXTRACTABLE)} and ignores the caller's GCM IV, as
 * HSMs bkv has no copy of do. Built once per JVM under {@code target/bkv-test}. Fails loudly
 * (never skips) when gcc or the p11-kit header is missing; scripts/setup installs both.
 */
public final class RefusingShim {
  private static Path built;

  private RefusingShim() {}

  /** The shim's path, compiled against {@link SoftHsmTokens#module()} on first use. */
  public static synchronized Path module() {
    if (built != null) {
      return built;
    }
    Path source = Path.of("src/test/c/refusing-shim.c").toAbsolutePath();
    Path header = Path.of("/usr/include/p11-kit-1/p11-kit/pkcs11.h");
    if (!Files.isRegularFile(header)) {
      throw new IllegalStateException(header + " is missing: install libp11-kit-dev (scripts/setup does)");
    }
    Path out = Path.of("target/bkv-test/shim/libbkv-refusing-shim.so").toAbsolutePath();
    try {
      Files.createDirectories(out.getParent());
      Process p = new ProcessBuilder(List.of("gcc", "-shared", "-fPIC", "-O1", "-Wall", "-Werror",
          "-I/usr/include/p11-kit-1", "-DTARGET=\"" + SoftHsmTokens.module() + "\"",
          "-o", out.toString(), source.toString(), "-ldl")).redirectErrorStream(true).start();
      String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("gcc could not build " + source + ": " + log);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run gcc (install gcc; scripts/setup does): " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted building the shim", e);
    }
    built = out;
    return out;
  }
}
