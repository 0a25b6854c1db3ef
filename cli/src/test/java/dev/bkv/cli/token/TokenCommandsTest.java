package dev.bkv.cli.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bkv.cli.CliRun;
import dev.bkv.cli.ExitCodes;
import dev.bkv.pkcs11.testing.SoftHsmTokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bkv token ...} against a real SoftHSM2 token created by {@code bkv token init}. */
class TokenCommandsTest {
  @TempDir static Path dir;
  static Path config;
  static String label;

  @BeforeAll
  static void createToken() throws IOException {
    SoftHsmTokens.ensureConf();
    label = "cli-" + UUID.randomUUID().toString().substring(0, 8);
    config = writeConfig("token.properties", label, "user-pin-1234", "so-pin-5678",
        SoftHsmTokens.module().toString());
    CliRun init = CliRun.of("token", "init", "--token", config.toString());
    assertEquals(0, init.exitCode(), init.toString());
    assertTrue(init.out().contains(label), init.toString());
  }

  static Path writeConfig(String name, String tokenLabel, String userPin, String soPin,
                          String module) throws IOException {
    Path user = Files.writeString(dir.resolve(name + ".user.pin"), userPin);
    Path so = Files.writeString(dir.resolve(name + ".so.pin"), soPin);
    return Files.writeString(dir.resolve(name), String.join("\n",
        "pkcs11.module = " + module,
        "pkcs11.token-label = " + tokenLabel,
        "pkcs11.user-pin = file:" + user,
        "pkcs11.so-pin = file:" + so, ""));
  }

  @Test
  void initRefusesAnExistingLabel() {
    CliRun again = CliRun.of("token", "init", "--token", config.toString());
    assertEquals(ExitCodes.HSM, again.exitCode(), again.toString());
    assertTrue(again.err().contains("already exists"), again.toString());
  }

  @Test
  void infoShowsSoftHsm() {
    CliRun info = CliRun.of("token", "info", "--token", config.toString());
    assertEquals(0, info.exitCode(), info.toString());
    assertTrue(info.out().contains("SoftHSM project"), info.toString());
    assertTrue(info.out().matches("(?s).*serial:\\s+[0-9a-f]{16}.*"), info.toString());
  }

  @Test
  void keygenObjectsAndDestroy() throws IOException {
    CliRun gen = CliRun.of("token", "keygen", "--token", config.toString(), "--type", "ec-p256",
        "--label", "cli/ecdh", "--usage", "derive");
    assertEquals(0, gen.exitCode(), gen.toString());

    JsonNode key = objectsJson("cli/ecdh", "PRIVATE_KEY");
    assertEquals("EC_P256", key.get("keyType").asText());
    JsonNode a = key.get("attributes");
    assertTrue(a.get("CKA_SENSITIVE").asBoolean());
    assertTrue(a.get("CKA_LOCAL").asBoolean());
    assertTrue(a.get("CKA_NEVER_EXTRACTABLE").asBoolean());
    assertTrue(a.get("CKA_ALWAYS_SENSITIVE").asBoolean());
    assertFalse(a.get("CKA_EXTRACTABLE").asBoolean());
    assertEquals("[\"DERIVE\"]", key.get("usages").toString());
    assertEquals(130, objectsJson("cli/ecdh", "PUBLIC_KEY").get("publicValue").asText().length());

    CliRun destroy = CliRun.of("token", "destroy", "--token", config.toString(), "--label", "cli/ecdh");
    assertEquals(0, destroy.exitCode(), destroy.toString());
    assertTrue(destroy.out().contains("destroyed 2 object(s)"), destroy.toString());
    assertEquals(null, objectsJson("cli/ecdh", "PRIVATE_KEY"));
  }

  @Test
  void everyKeyTypeAndUsagePair() throws IOException {
    String[][] pairs = {{"ec-p256", "sign"}, {"ed25519", "sign"}, {"aes-256", "encrypt"},
        {"aes-256", "wrap"}, {"secret-32", "hmac"}};
    for (String[] p : pairs) {
      String keyLabel = "cli/" + p[0] + "/" + p[1];
      CliRun gen = CliRun.of("token", "keygen", "--token", config.toString(), "--type", p[0],
          "--label", keyLabel, "--usage", p[1]);
      assertEquals(0, gen.exitCode(), gen.toString());
      String cls = p[0].startsWith("aes") || p[0].startsWith("secret") ? "SECRET_KEY" : "PRIVATE_KEY";
      JsonNode a = objectsJson(keyLabel, cls).get("attributes");
      assertFalse(a.get("CKA_EXTRACTABLE").asBoolean(), keyLabel);
      assertTrue(a.get("CKA_SENSITIVE").asBoolean(), keyLabel);
      assertTrue(a.get("CKA_PRIVATE").asBoolean(), keyLabel);
    }
  }

  @Test
  void pkcs11ToolSeesAKeygenKeyAsSensitiveAndCannotReadIt() throws Exception {
    CliRun gen = CliRun.of("token", "keygen", "--token", config.toString(), "--type", "ec-p256",
        "--label", "cli/tool", "--usage", "derive");
    assertEquals(0, gen.exitCode(), gen.toString());
    String listed = pkcs11Tool("--list-objects", "--type", "privkey", "--label", "cli/tool").out();
    assertTrue(listed.contains("label:      cli/tool"), listed);
    assertTrue(listed.contains("sensitive, always sensitive, never extractable, local"), listed);
    // pkcs11-tool will not even try to read EC private keys; a secret key shows the token's answer.

    CliRun aes = CliRun.of("token", "keygen", "--token", config.toString(), "--type", "aes-256",
        "--label", "cli/tool-aes", "--usage", "encrypt");
    assertEquals(0, aes.exitCode(), aes.toString());
    ToolRun readAes = pkcs11Tool("--read-object", "--type", "secrkey", "--label", "cli/tool-aes");
    assertTrue(readAes.exit() != 0, readAes.out());
    assertTrue(readAes.out().contains("CKR_ATTRIBUTE_SENSITIVE"), readAes.out());
  }

  record ToolRun(int exit, String out) {}

  private static ToolRun pkcs11Tool(String... args) throws Exception {
    java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(
        SoftHsmTokens.findOnPath("pkcs11-tool").toString(), "--module",
        SoftHsmTokens.module().toString(), "--token-label", label, "--login", "--pin",
        "user-pin-1234"));
    cmd.addAll(java.util.List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    return new ToolRun(p.waitFor(), out);
  }

  @Test
  void mismatchedTypeAndUsageIsAUsageError() {
    CliRun r = CliRun.of("token", "keygen", "--token", config.toString(), "--type", "ed25519",
        "--label", "x", "--usage", "derive");
    assertEquals(ExitCodes.USAGE, r.exitCode(), r.toString());
    assertTrue(r.err().contains("does not fit --type ed25519"), r.toString());
  }

  @Test
  void destroyingAMissingLabelIsNotFound() {
    CliRun r = CliRun.of("token", "destroy", "--token", config.toString(), "--label", "nope");
    assertEquals(ExitCodes.NOT_FOUND, r.exitCode(), r.toString());
  }

  @Test
  void wrongPinIsOneLineNamingTheCkr() throws IOException {
    Path bad = writeConfig("bad-pin.properties", label, "wrong-pin-0000", "so-pin-5678",
        SoftHsmTokens.module().toString());
    CliRun r = CliRun.of("token", "info", "--token", bad.toString());
    assertEquals(ExitCodes.HSM, r.exitCode(), r.toString());
    assertTrue(r.err().contains("CKR_PIN_INCORRECT"), r.toString());
    assertEquals(1, r.err().strip().lines().count(), r.toString());
    assertFalse(r.err().contains("wrong-pin-0000"), "the PIN must never be printed");
  }

  @Test
  void missingTokenIsNotFound() throws IOException {
    Path cfg = writeConfig("missing.properties", "no-such-token", "1234", "5678",
        SoftHsmTokens.module().toString());
    CliRun r = CliRun.of("token", "objects", "--token", cfg.toString());
    assertEquals(ExitCodes.NOT_FOUND, r.exitCode(), r.toString());
    assertTrue(r.err().contains("no-such-token"), r.toString());
  }

  @Test
  void missingModuleIsBadInput() throws IOException {
    Path cfg = writeConfig("nomodule.properties", label, "1234", "5678", "/nonexistent/libp11.so");
    CliRun r = CliRun.of("token", "info", "--token", cfg.toString());
    assertEquals(ExitCodes.BAD_INPUT, r.exitCode(), r.toString());
    assertTrue(r.err().contains("/nonexistent/libp11.so"), r.toString());
  }

  @Test
  void missingConfigFileIsBadInput() {
    CliRun r = CliRun.of("token", "info", "--token", dir.resolve("absent.properties").toString());
    assertEquals(ExitCodes.BAD_INPUT, r.exitCode(), r.toString());
    assertTrue(r.err().contains("absent.properties"), r.toString());
    assertFalse(r.err().contains("\tat "), "no stack trace without --verbose");
  }

  private static JsonNode objectsJson(String keyLabel, String cls) throws IOException {
    CliRun r = CliRun.of("token", "objects", "--token", config.toString(), "--json");
    assertEquals(0, r.exitCode(), r.toString());
    for (JsonNode n : new ObjectMapper().readTree(r.out())) {
      if (n.get("label").asText().equals(keyLabel) && n.get("objectClass").asText().equals(cls)) {
        return n;
      }
    }
    return null;
  }
}
