package dev.bkv.cli.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bkv.cli.CliRun;
import dev.bkv.cli.ExitCodes;
import dev.bkv.pkcs11.testing.SoftHsmTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bkv token check} on SoftHSM2: every role can be hosted, as a table and as JSON. */
class TokenCheckCommandTest {
  @TempDir static Path dir;
  static Path config;

  @BeforeAll
  static void createToken() throws Exception {
    SoftHsmTokens.ensureConf();
    String label = "chk-" + UUID.randomUUID().toString().substring(0, 8);
    config = TokenCommandsTestConfigs.write(dir, label, SoftHsmTokens.module().toString());
    CliRun init = CliRun.of("token", "init", "--token", config.toString());
    assertEquals(0, init.exitCode(), init.toString());
  }

  @Test
  void everyRoleCanBeHostedOnSoftHsm2() {
    for (String role : new String[] {"member", "genesis", "operator", "cosigner"}) {
      CliRun r = CliRun.of("token", "check", "--token", config.toString(), "--role", role);
      assertEquals(0, r.exitCode(), r.toString());
      assertTrue(r.out().contains("ECDH x-only                OK"), r.toString());
      // a second JVM logged in while this one held its sessions
      assertTrue(r.out().contains("multi-process login        OK        a second process logged in"),
          r.toString());
      assertTrue(r.out().endsWith(role + ": can be hosted\n"), r.toString());
      assertEquals("", r.err(), "nothing on stderr");
    }
  }

  @Test
  void jsonNamesEveryFindingAndRole() throws Exception {
    CliRun r = CliRun.of("token", "check", "--token", config.toString(), "--role", "member", "--json");
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertEquals("OK", j.at("/findings/0/status").asText());
    assertTrue(j.at("/roles/genesis/hostable").asBoolean());
    assertTrue(j.at("/findings").size() >= 14);
  }

  @Test
  void anUnknownRoleIsAUsageError() {
    CliRun r = CliRun.of("token", "check", "--token", config.toString(), "--role", "witness");
    assertEquals(ExitCodes.USAGE, r.exitCode(), r.toString());
    assertTrue(r.err().contains("unknown role 'witness'"), r.toString());
  }

  /** Config files for a token created by {@code bkv token init}. */
  static final class TokenCommandsTestConfigs {
    static Path write(Path dir, String label, String module) throws Exception {
      Path user = Files.writeString(dir.resolve("user.pin"), "user-pin-1234");
      Path so = Files.writeString(dir.resolve("so.pin"), "so-pin-5678");
      return Files.writeString(dir.resolve("token.properties"), String.join("\n",
          "pkcs11.module = " + module, "pkcs11.token-label = " + label,
          "pkcs11.user-pin = file:" + user, "pkcs11.so-pin = file:" + so, ""));
    }
  }
}
