package dev.bkv.pkcs11.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.pkcs11.HsmConfigException;
import dev.bkv.pkcs11.Pkcs11Config;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Inputs {@link Pkcs11ConfigFuzzTest} found that escaped {@link Pkcs11Config#load} as unchecked
 * exceptions (a malformed {@code \}{@code u} escape: IllegalArgumentException; a NUL in the module
 * or PIN file path: InvalidPathException). They are seeds of the fuzz target too.
 */
class Pkcs11ConfigFindingsTest {
  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"bad-escape", "nul-in-module", "nul-in-pin-file"})
  void rejectedAsConfigErrors(String seed) throws Exception {
    byte[] data;
    try (var in = getClass().getResourceAsStream("Pkcs11ConfigFuzzTestInputs/load/" + seed)) {
      data = in.readAllBytes();
    }
    Path file = dir.resolve("bkv.properties");
    Files.write(file, data);
    HsmConfigException e = assertThrows(HsmConfigException.class, () -> Pkcs11Config.load(file));
    assertTrue(e.getMessage().contains("reading"), e.getMessage());
    assertFalse(new String(data, StandardCharsets.UTF_8).contains("pin") && e.getMessage().contains("/x"),
        "the PIN file path must not be echoed: " + e.getMessage());
  }
}
