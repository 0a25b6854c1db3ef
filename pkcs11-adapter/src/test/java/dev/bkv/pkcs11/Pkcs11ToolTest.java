package dev.bkv.pkcs11;

import static org.junit.jupiter.api.Assertions.*;

import dev.bkv.pkcs11.testing.SoftHsmTokens;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What OpenSC's pkcs11-tool, a separate process, sees of keys the adapter made. */
class Pkcs11ToolTest {
  static SoftHsmTokens.TestToken created;
  static Pkcs11Token token;

  @TempDir
  Path dir;

  @BeforeAll
  static void open() throws Exception {
    created = SoftHsmTokens.createToken("tool");
    token = Pkcs11Token.open(created.config());
  }

  @AfterAll
  static void close() {
    token.close();
  }

  record Result(int exit, String output) {}

  /** Runs pkcs11-tool; retries when its login collides with ours (CKR_GENERAL_ERROR). */
  static Result tool(String... args) throws Exception {
    Path exe = SoftHsmTokens.findOnPath("pkcs11-tool");
    List<String> cmd = new ArrayList<>(List.of(exe.toString(), "--module",
        created.config().module().toString(), "--token-label", created.label(), "--login",
        "--pin", created.userPin()));
    cmd.addAll(List.of(args));
    Result r = null;
    for (int attempt = 0; attempt < 6; attempt++) {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().put("SOFTHSM2_CONF", SoftHsmTokens.ensureConf().toString());
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "pkcs11-tool timed out");
      r = new Result(p.exitValue(), out);
      if (!out.contains("CKR_GENERAL_ERROR")) {
        return r;
      }
      Thread.sleep(50L << attempt);
    }
    return r;
  }

  @Test
  void ecKeyShowsAsSensitiveNeverExtractableLocal() throws Exception {
    token.keys().generateEcP256(KeySpec.of("tool/ec", KeyUsage.DERIVE));
    Result r = tool("--list-objects", "--type", "privkey");
    assertEquals(0, r.exit(), r.output());
    int at = r.output().indexOf("label:      tool/ec");
    assertTrue(at > 0, r.output());
    String block = r.output().substring(r.output().lastIndexOf("Private Key Object; EC", at));
    block = block.substring(0, Math.min(block.length(), block.indexOf("Access:") + 80));
    assertTrue(block.contains("Usage:      derive\n"), block);
    assertTrue(block.contains("Access:     sensitive, always sensitive, never extractable, local"), block);
  }

  @Test
  void ecKeyValueCannotBeRead() throws Exception {
    token.keys().generateEcP256(KeySpec.of("tool/ec-read", KeyUsage.DERIVE));
    Path out = dir.resolve("ec.bin");
    Result r = tool("--read-object", "--type", "privkey", "--label", "tool/ec-read", "-o", out.toString());
    assertTrue(r.output().contains("reading private keys not (yet) supported")
        || r.output().contains("CKR_ATTRIBUTE_SENSITIVE"), r.output());
    assertTrue(!Files.exists(out) || Files.size(out) == 0, "nothing written");
  }

  @Test
  void secretKeyValueReadIsRefusedByTheToken() throws Exception {
    token.keys().generateAes256(KeySpec.of("tool/aes", KeyUsage.ENCRYPT, KeyUsage.DECRYPT));
    Path out = dir.resolve("aes.bin");
    Result r = tool("--read-object", "--type", "secrkey", "--label", "tool/aes", "-o", out.toString());
    assertNotEquals(0, r.exit(), r.output());
    assertTrue(r.output().contains("CKR_ATTRIBUTE_SENSITIVE"), r.output());
    assertFalse(Files.exists(out) && Files.size(out) > 0, "nothing written");
  }
}
