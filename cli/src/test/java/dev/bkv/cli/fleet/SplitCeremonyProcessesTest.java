package dev.bkv.cli.fleet;

import static org.junit.jupiter.api.Assertions.*;

import dev.bkv.pkcs11.testing.SoftHsmTokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The split ceremony as the demo runs it: every token in its own SoftHSM2 token directory, every
 * step a separate {@code bkv} process with that token's {@code SOFTHSM2_CONF}.
 */
class SplitCeremonyProcessesTest {
  @TempDir Path dir;

  @Test
  void eachTokenInItsOwnDirectoryAndProcess() throws Exception {
    List<String> names = List.of("g", "a", "b", "op");
    for (String n : names) {
      token(n);
    }
    Path cer = Files.createDirectories(dir.resolve("ceremony"));
    for (String n : List.of("g", "a", "b")) {
      bkv(n, "fleet", "init-member", "--token", cfg(n), "--member-id", n, "--out", cer.resolve(n + ".member.json").toString());
    }
    bkv("g", "fleet", "export-keys", "--token", cfg("g"), "--fleet-id", "proc", "--epoch", "1",
        "--member-descriptor", cer.resolve("a.member.json").toString(), cer.resolve("b.member.json").toString(),
        "--out", cer.toString());
    for (String n : List.of("a", "b")) {
      bkv(n, "fleet", "import-keys", "--token", cfg(n), "--keys", cer.resolve(n + ".keys.json").toString(),
          "--genesis-descriptor", cer.resolve("g.member.json").toString(), "--out", cer.resolve(n + ".readback.json").toString());
    }
    String evidence = cer.resolve("evidence.dsse.json").toString();
    bkv("op", "evidence", "prepare", "--operator", cfg("op"), "--fleet-id", "proc", "--epoch", "1",
        "--out", evidence, "--readback", cer.resolve("g.readback.json").toString(),
        cer.resolve("a.readback.json").toString(), cer.resolve("b.readback.json").toString());
    for (String n : names) {
      bkv(n, "evidence", "sign", evidence, "--token", cfg(n));
    }
    for (String n : List.of("g", "a", "b")) {
      String out = bkv(n, "evidence", "verify", evidence, "--live", cfg(n));
      assertTrue(out.contains("evidence verified") && out.contains("matches the evidence"), out);
    }
    // the member in the other directory cannot be reached from the genesis's process
    Result cross = run("g", "evidence", "verify", evidence, "--live", cfg("a"));
    assertEquals(5, cross.code(), cross.toString());
  }

  private void token(String name) throws Exception {
    Path d = Files.createDirectories(dir.resolve(name).resolve("tokens"));
    Files.writeString(dir.resolve(name).resolve("softhsm2.conf"), "directories.tokendir = " + d
        + "\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n");
    Path user = Files.writeString(dir.resolve(name).resolve("user.pin"), "user-" + name + "-1234");
    Path so = Files.writeString(dir.resolve(name).resolve("so.pin"), "so-" + name + "-5678");
    Files.writeString(dir.resolve(name).resolve("token.properties"), String.join("\n",
        "pkcs11.module = " + SoftHsmTokens.module(), "pkcs11.token-label = proc-" + name,
        "pkcs11.user-pin = file:" + user, "pkcs11.so-pin = file:" + so, ""));
    ProcessBuilder pb = new ProcessBuilder(SoftHsmTokens.findOnPath("softhsm2-util").toString(),
        "--init-token", "--free", "--label", "proc-" + name, "--pin", "user-" + name + "-1234",
        "--so-pin", "so-" + name + "-5678").redirectErrorStream(true);
    pb.environment().put("SOFTHSM2_CONF", dir.resolve(name).resolve("softhsm2.conf").toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
  }

  private String cfg(String name) {
    return dir.resolve(name).resolve("token.properties").toString();
  }

  private String bkv(String name, String... args) throws IOException, InterruptedException {
    Result r = run(name, args);
    assertEquals(0, r.code(), r.toString());
    return r.out();
  }

  record Result(int code, String out, String err) {}

  /** {@code bkv args} in a new JVM whose SOFTHSM2_CONF is that of token {@code name}. */
  private Result run(String name, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "dev.bkv.cli.Bkv"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("SOFTHSM2_CONF", dir.resolve(name).resolve("softhsm2.conf").toString());
    Path err = dir.resolve("err.txt");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "bkv " + String.join(" ", args) + " did not finish");
    return new Result(p.exitValue(), out, Files.readString(err));
  }
}
