package dev.bkv.node.service;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.bkv.client.VaultClient;
import dev.bkv.client.WrongPasswordException;
import dev.bkv.recovery.SecretBytes;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A member run with {@code node.log.format = json} writes one JSON object per log line (besides
 * its {@code ready} line on standard output), through a registration, a wrong guess, a recovery
 * and a clean stop (JUL's own shutdown hook closes its handlers, so lines logged while the JVM
 * exits may be lost); and neither the password, the token PIN, the backup key nor the fleet
 * secrets appear in its output, raw, hex or base64.
 */
class JsonLogsFleetTest {
  @Test
  void jsonLinesAndNoSecrets() throws Exception {
    // The test class path's SLF4J provider (slf4j-simple) writes plain text: silence it here;
    // the distribution has no SLF4J provider (docs/operations.md, logs).
    VaultFleet.Options options = new VaultFleet.Options(1, false,
        List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=off"), 500);
    try (VaultFleet fleet = new VaultFleet("jsonlogs", options)) {
      fleet.setConfig("m1", "node.log.format", "json");
      fleet.startAll();
      SecureRandom rng = new SecureRandom();
      String password = "pw-" + HexFormat.of().formatHex(rng.generateSeed(8));
      byte[] key = rng.generateSeed(32);
      byte[] user = "json-user".getBytes(UTF_8);
      try (VaultClient c = fleet.client(List.of("m1"))) {
        c.register(user, password.getBytes(UTF_8), SecretBytes.copyOf(key));
        assertThrows(WrongPasswordException.class, () -> c.recover(user, "wrong".getBytes(UTF_8)));
        assertTrue(SecretBytes.copyOf(key).equalsConstantTime(
            c.recover(user, password.getBytes(UTF_8))));
      }
      fleet.stop("m1");
      String log = Files.readString(fleet.log("m1"));

      List<Map<String, Object>> lines = new ArrayList<>();
      for (String line : log.split("\n")) {
        if (line.isEmpty() || line.matches("ready m1 \\d+")) {
          continue;
        }
        Map<String, Object> j = JSONObjectUtils.parse(line); // throws on anything but JSON
        for (String k : List.of("time", "level", "logger", "message")) {
          assertTrue(j.get(k) instanceof String, k + " in " + line);
        }
        lines.add(j);
      }
      assertTrue(lines.stream().anyMatch(j -> j.get("message").toString()
          .contains("serves the vault API")), log);

      List<String> secrets = new ArrayList<>(List.of(password,
          Files.readString(fleet.dir("m1").resolve("user.pin")).strip()));
      secrets.add(HexFormat.of().formatHex(key));
      secrets.add(Base64.getEncoder().encodeToString(key));
      secrets.add(Base64.getUrlEncoder().withoutPadding().encodeToString(key));
      for (String hexLine : Files.readString(fleet.dir("m1").getParent()
          .resolve("fleet-secrets.hex")).split("\\s+")) {
        if (hexLine.length() >= 32) {
          secrets.add(hexLine);
        }
      }
      String lower = log.toLowerCase(Locale.ROOT);
      for (String s : secrets) {
        assertFalse(lower.contains(s.toLowerCase(Locale.ROOT)), "a secret is in the log");
        String hex = HexFormat.of().formatHex(s.getBytes(UTF_8));
        assertFalse(lower.contains(hex), "a secret (hex) is in the log");
      }
    }
  }
}
