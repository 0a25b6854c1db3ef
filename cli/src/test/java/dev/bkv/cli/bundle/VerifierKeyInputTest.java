package dev.bkv.cli.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.cli.CliRun;
import dev.bkv.cli.ExitCodes;
import dev.bkv.crypto.Sha256;
import dev.bkv.transparency.Ed25519NoteSigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A verifier key whose Ed25519 bytes are not a curve point (key ID correct, so only the point is
 * wrong) is bad input, exit 3 with one line naming the option, never an internal fault.
 */
class VerifierKeyInputTest {
  @TempDir static Path dir;
  static String notAPoint;
  static String good;
  static Path bundle;

  @BeforeAll
  static void keys() throws Exception {
    byte[] key = new byte[32];
    key[0] = 2; // y = 2: no point of edwards25519 has it
    byte[] material = new byte[33];
    material[0] = 0x01;
    System.arraycopy(key, 0, material, 1, 32);
    // C2SP signed-note key ID of type 0x01: SHA-256(name || 0x0A || 0x01 || key)[:4].
    byte[] id = Sha256.hash("cosigner.example\n".getBytes(StandardCharsets.UTF_8), material);
    notAPoint = "cosigner.example+" + HexFormat.of().formatHex(id, 0, 4)
        + "+" + Base64.getEncoder().encodeToString(material);
    good = Ed25519NoteSigner.generate("operator.example", new SecureRandom()).verifierKey()
        .encode();
    bundle = Files.writeString(dir.resolve("b1.txt.cosigned"), "not read before the keys\n");
  }

  private static void badInput(String option, CliRun r) {
    assertEquals(ExitCodes.BAD_INPUT, r.exitCode(), r.toString());
    assertEquals(1, r.err().lines().count(), r.toString());
    assertTrue(r.err().startsWith("bkv: " + option + ": Ed25519 public key "), r.toString());
    assertTrue(r.err().contains("not a valid curve point"), r.toString());
  }

  @Test
  void bundleVerifyRefusesEitherKey() {
    badInput("--cosigner-key", CliRun.of("bundle", "verify", bundle.toString(),
        "--cosigner-key", notAPoint, "--operator-key", good));
    badInput("--operator-key", CliRun.of("bundle", "verify", bundle.toString(),
        "--cosigner-key", good, "--operator-key", notAPoint));
  }

  @Test
  void aKeyFileIsRefusedTheSameWay() throws Exception {
    Path vkey = Files.writeString(dir.resolve("cosigner.vkey"), notAPoint + "\n");
    badInput("--cosigner-key", CliRun.of("bundle", "verify", bundle.toString(),
        "--cosigner-key", vkey.toString(), "--operator-key", good));
  }

  @Test
  void logVerifyRefusesIt() throws Exception {
    Path log = Files.createDirectories(dir.resolve("log"));
    badInput("--cosigner-key", CliRun.of("log", "verify", "--log", log.toString(),
        "--cosigner-key", notAPoint));
  }
}
