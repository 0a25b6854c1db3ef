package dev.bkv.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.cli.CliProcess;
import dev.bkv.cli.ExitCodes;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client command against a member nobody listens for, run as its own process so everything
 * written to stderr is seen (gRPC's own logging included): one line and exit 7, more with
 * {@code --verbose}.
 */
class UnreachableMemberTest {
  /** The P-256 base point, compressed: a valid fleet key no member will ever answer for. */
  private static final String FLEET_KEY =
      "036b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296";

  @TempDir static Path dir;
  static Path token;
  static Path password;
  static int closedPort;

  @BeforeAll
  static void files() throws IOException {
    token = Files.writeString(dir.resolve("alice.jwt"), "not-checked-before-connecting\n");
    password = Files.writeString(dir.resolve("pw"), "correct horse\n");
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
  }

  /** The arguments of {@code bkv client recover} against {@code endpoint}. */
  private static List<String> recover(String endpoint) {
    return List.of("client", "recover", "--user", "alice", "--tenant-token", "file:" + token,
        "--endpoints", endpoint, "--plaintext", "--fleet-key", FLEET_KEY,
        "--password-file", password.toString(), "--ksf", "identity");
  }

  @Test
  void connectionRefusedIsOneLineAndExit7() throws Exception {
    CliProcess run = CliProcess.of(recover("127.0.0.1:" + closedPort));
    assertEquals(ExitCodes.UNAVAILABLE, run.exitCode(), run.toString());
    assertEquals(1, run.errLines().size(), run.toString());
    String line = run.errLines().get(0);
    assertTrue(line.startsWith("bkv: no member could serve the request"), run.toString());
    assertTrue(line.contains("127.0.0.1:" + closedPort), run.toString());
    assertTrue(line.contains("connection refused"), run.toString());
    assertEquals("", run.out(), run.toString());
  }

  @Test
  void verboseAddsTheStackTrace() throws Exception {
    List<String> after = new ArrayList<>(recover("127.0.0.1:" + closedPort));
    after.add("--verbose");
    List<String> before = new ArrayList<>(List.of("--verbose"));
    before.addAll(recover("127.0.0.1:" + closedPort));
    for (List<String> args : List.of(after, before)) {
      CliProcess run = CliProcess.of(args);
      assertEquals(ExitCodes.UNAVAILABLE, run.exitCode(), run.toString());
      assertTrue(run.errLines().size() > 5, run.toString());
      assertTrue(run.errLines().get(0).contains("connection refused"), run.toString());
      assertTrue(run.err().contains("Caused by: "), run.toString());
    }
  }

  @Test
  void anUnresolvableNameIsOneLineAndExit7() throws Exception {
    // gRPC logs this failure itself, with a stack trace, unless told not to
    CliProcess run = CliProcess.of(recover("member.invalid:7443"));
    assertEquals(ExitCodes.UNAVAILABLE, run.exitCode(), run.toString());
    assertEquals(1, run.errLines().size(), run.toString());
    assertTrue(run.errLines().get(0).contains("member.invalid"), run.toString());
  }
}
