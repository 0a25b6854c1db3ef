package dev.bkv.pkcs11.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Builds {@code src/test/c/refusing-shim.c} with gcc: a PKCS#11 module that forwards to SoftHSM2
 * but refuses what the chosen {@link Refusal}s name, as HSMs bkv has no copy of do. Each set of
 * refusals is its own library (its own module to the adapter), built once per JVM under
 * {@code target/bkv-test/shim}. Fails loudly (never skips) when gcc or the p11-kit header is
 * missing; scripts/setup installs both.
 */
public final class RefusingShim {
  /** What the shim refuses; the bit is the shim's {@code REFUSALS} mask. */
  public enum Refusal {
    /** {@code C_SetAttributeValue(CKA_EXTRACTABLE)} fails with {@code CKR_ATTRIBUTE_READ_ONLY}. */
    SET_EXTRACTABLE(1),
    /** {@code CKM_AES_GCM} encryption ignores the caller's IV. */
    CALLER_GCM_IV(2),
    /** Derived secrets are made {@code CKA_SENSITIVE=true}: their {@code CKA_VALUE} is never read. */
    DERIVED_VALUE(4),
    /** Derived secrets are made {@code CKA_EXTRACTABLE=false}: {@code C_WrapKey} refuses them too. */
    DERIVED_WRAP(8);

    private final int bit;

    Refusal(int bit) {
      this.bit = bit;
    }
  }

  private static final Map<Integer, Path> BUILT = new HashMap<>();

  private RefusingShim() {}

  /** The shim that refuses {@code CKA_EXTRACTABLE} changes and ignores caller GCM IVs. */
  public static Path module() {
    return module(EnumSet.of(Refusal.SET_EXTRACTABLE, Refusal.CALLER_GCM_IV));
  }

  /** The shim refusing exactly {@code refusals}, compiled against SoftHSM2 on first use. */
  public static synchronized Path module(Set<Refusal> refusals) {
    int mask = mask(refusals);
    Path done = BUILT.get(mask);
    if (done != null) {
      return done;
    }
    Path source = Path.of("src/test/c/refusing-shim.c").toAbsolutePath();
    Path header = Path.of("/usr/include/p11-kit-1/p11-kit/pkcs11.h");
    if (!Files.isRegularFile(header)) {
      throw new IllegalStateException(header + " is missing: install libp11-kit-dev (scripts/setup does)");
    }
    Path out = dir().resolve("libbkv-refusing-shim-" + mask + ".so");
    try {
      Files.createDirectories(out.getParent());
      Files.deleteIfExists(deriveLog(refusals));
      Process p = new ProcessBuilder(List.of("gcc", "-shared", "-fPIC", "-O1", "-Wall", "-Werror",
          "-I/usr/include/p11-kit-1", "-DTARGET=\"" + SoftHsmTokens.module() + "\"",
          "-DREFUSALS=" + mask, "-DDERIVE_LOG=\"" + deriveLog(refusals) + "\"",
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
    BUILT.put(mask, out);
    return out;
  }

  /** How many {@code C_DeriveKey} calls the shim for {@code refusals} has seen in this JVM. */
  public static long derivations(Set<Refusal> refusals) {
    try {
      Path log = deriveLog(refusals);
      return Files.exists(log) ? Files.size(log) : 0;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the shim's derive log: " + e, e);
    }
  }

  private static Path deriveLog(Set<Refusal> refusals) {
    return dir().resolve("derive-" + mask(refusals) + ".log");
  }

  private static Path dir() {
    return Path.of("target/bkv-test/shim").toAbsolutePath();
  }

  private static int mask(Set<Refusal> refusals) {
    int mask = 0;
    for (Refusal r : refusals) {
      mask |= r.bit;
    }
    return mask;
  }
}
