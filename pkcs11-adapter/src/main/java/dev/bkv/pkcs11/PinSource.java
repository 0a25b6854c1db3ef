package dev.bkv.pkcs11;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Where a PIN comes from. Config files name a source ({@code env:NAME} or {@code file:PATH}),
 * never the PIN itself; tests may supply one programmatically. {@link #toString()} names the
 * source only, never the PIN.
 */
public sealed interface PinSource {

  /**
   * Reads the PIN. The caller owns the returned array and should clear it after use.
   *
   * @param key the config key this PIN belongs to, for error messages
   */
  char[] read(String key) throws HsmConfigException;

  /** The PIN is in the environment variable {@code name}. */
  static PinSource env(String name) {
    return new Env(name, System.getenv());
  }

  /** The PIN is the content of {@code path}, without a trailing newline. */
  static PinSource file(Path path) {
    return new File(path);
  }

  /** A PIN given in code (tests, generated tokens); the array is copied. */
  static PinSource of(char[] pin) {
    char[] copy = pin.clone();
    return new Supplied(() -> copy.clone());
  }

  /** A PIN produced on demand, e.g. from a prompt; each call must return a fresh array. */
  static PinSource supplier(Supplier<char[]> supplier) {
    return new Supplied(supplier);
  }

  /**
   * Parses {@code env:NAME} or {@code file:PATH}; any other value is rejected without echoing it,
   * since it may be a literal PIN.
   */
  static PinSource parse(String key, String value) throws HsmConfigException {
    String v = value.strip();
    if (v.startsWith("env:") && v.length() > 4) {
      return env(v.substring(4));
    }
    if (v.startsWith("file:") && v.length() > 5) {
      try {
        return file(Path.of(v.substring(5)));
      } catch (java.nio.file.InvalidPathException e) {
        throw new HsmConfigException("reading " + key, "file: is not a valid path: " + e.getReason()
            + " (value not shown)");
      }
    }
    throw new HsmConfigException("reading " + key,
        "expected env:NAME or file:PATH; literal PINs are not accepted (value not shown)");
  }

  /** PIN from an environment variable. */
  record Env(String name, Map<String, String> environment) implements PinSource {
    public Env {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(environment, "environment");
    }

    @Override
    public char[] read(String key) throws HsmConfigException {
      String pin = environment.get(name);
      if (pin == null || pin.isEmpty()) {
        throw new HsmConfigException("reading " + key, "environment variable " + name
            + " is not set or empty");
      }
      return pin.toCharArray();
    }

    @Override
    public String toString() {
      return "env:" + name;
    }
  }

  /** PIN from a file. */
  record File(Path path) implements PinSource {
    public File {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public char[] read(String key) throws HsmConfigException {
      byte[] raw;
      try {
        raw = Files.readAllBytes(path);
      } catch (IOException e) {
        throw new HsmConfigException("reading " + key, "cannot read PIN file " + path + ": "
            + e.getClass().getSimpleName(), e);
      }
      try {
        int end = raw.length;
        while (end > 0 && (raw[end - 1] == '\n' || raw[end - 1] == '\r')) {
          end--;
        }
        if (end == 0) {
          throw new HsmConfigException("reading " + key, "PIN file " + path + " is empty");
        }
        var chars = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(raw, 0, end));
        char[] pin = new char[chars.remaining()];
        chars.get(pin);
        Arrays.fill(chars.array(), '\0');
        return pin;
      } finally {
        Arrays.fill(raw, (byte) 0);
      }
    }

    @Override
    public String toString() {
      return "file:" + path;
    }
  }

  /** PIN given programmatically. */
  final class Supplied implements PinSource {
    private final Supplier<char[]> supplier;

    private Supplied(Supplier<char[]> supplier) {
      this.supplier = Objects.requireNonNull(supplier, "supplier");
    }

    @Override
    public char[] read(String key) throws HsmConfigException {
      char[] pin = supplier.get();
      if (pin == null || pin.length == 0) {
        throw new HsmConfigException("reading " + key, "the supplied PIN is empty");
      }
      return pin;
    }

    @Override
    public String toString() {
      return "<supplied>";
    }
  }
}
