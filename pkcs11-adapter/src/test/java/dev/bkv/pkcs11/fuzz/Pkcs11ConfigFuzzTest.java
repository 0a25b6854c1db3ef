package dev.bkv.pkcs11.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.bkv.pkcs11.HsmConfigException;
import dev.bkv.pkcs11.Pkcs11Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzz target for {@link Pkcs11Config#load}: arbitrary bytes as the properties file. Property:
 * only {@link HsmConfigException} escapes, and a loaded config written back with
 * {@link Pkcs11Config#toProperties} loads to the same config. Seeds are in
 * {@code src/test/resources/dev/bkv/pkcs11/fuzz/Pkcs11ConfigFuzzTestInputs/load/}.
 */
class Pkcs11ConfigFuzzTest {
  private static final Path FILE = tempFile();

  private static Path tempFile() {
    try {
      Path p = Files.createTempFile("bkv-fuzz-pkcs11", ".properties");
      p.toFile().deleteOnExit();
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest
  void load(byte[] data) throws IOException, HsmConfigException {
    Files.write(FILE, data);
    Pkcs11Config config;
    try {
      config = Pkcs11Config.load(FILE);
    } catch (HsmConfigException expected) {
      return;
    }
    Pkcs11Config again = Pkcs11Config.fromProperties(config.toProperties(), "round trip");
    assertEquals(config.toString(), again.toString());
    assertEquals(config.module(), again.module());
    assertEquals(config.token(), again.token());
  }
}
