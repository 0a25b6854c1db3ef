package dev.bkv.node.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The member process refuses bad invocations with one clear line and a distinct exit code. */
class ReplicaMainTest {
  @TempDir Path dir;

  @Test
  void noArgumentsIsAUsageError() throws Exception {
    Result r = run();
    assertEquals(2, r.exit);
    assertTrue(r.output.contains("usage: ReplicaMain <config.properties>"), r.output);
  }

  @Test
  void badConfigExitsWithOneLineNamingTheProblem() throws Exception {
    Path conf = dir.resolve("bad.properties");
    Files.writeString(conf, "node.peers=m1=127.0.0.1:1\nnode.shards=0\n");
    Result r = run(conf.toString());
    assertEquals(1, r.exit);
    assertTrue(r.output.contains("error: node.shards is 0; expected 1..256"), r.output);
    Result missing = run(dir.resolve("absent.properties").toString());
    assertEquals(1, missing.exit);
    assertTrue(missing.output.contains("error: cannot read node config"), missing.output);
    Files.writeString(conf, "node.peers=m1=127.0.0.1:1\nnode.id=m1\nnode.data-dir=" + dir
        + "\n");
    Result noTls = run(conf.toString());
    assertEquals(1, noTls.exit);
    assertTrue(noTls.output.contains("error: Raft runs over mutual TLS between members"),
        noTls.output);
    Files.writeString(conf, "node.peers=m1=127.0.0.1:1\nnode.raft.roster=" + dir
        + "/absent.json\nnode.raft.tls.cert=c\nnode.raft.tls.key=k\nnode.id=m1\n"
        + "node.data-dir=" + dir + "\n");
    Result noRoster = run(conf.toString());
    assertEquals(1, noRoster.exit);
    assertTrue(noRoster.output.contains("error: cannot read member roster " + dir
        + "/absent.json"), noRoster.output);
    Files.writeString(conf, "node.peers=m1=127.0.0.1:1\nnode.raft.plaintext=true\n");
    Result client = run(conf.toString());
    assertEquals(1, client.exit);
    assertTrue(client.output.contains("error: a member needs node.id and node.data-dir"),
        client.output);
  }

  private record Result(int exit, String output) {}

  private static Result run(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("surefire.test.class.path",
            System.getProperty("java.class.path")), ReplicaMain.class.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        throw new AssertionError("ReplicaMain did not exit");
      }
      return new Result(p.exitValue(),
          new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    } finally {
      p.destroyForcibly();
    }
  }
}
