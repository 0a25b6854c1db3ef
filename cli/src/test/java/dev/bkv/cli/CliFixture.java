package dev.bkv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.pkcs11.testing.SoftHsmTokens;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What the CLI tests share: token configs, a one-member node config, ports, a passing run. */
public final class CliFixture {
  private CliFixture() {}

  /**
   * A fresh SoftHSM2 token (label from {@code prefix + name}) and its properties file {@code
   * dir/<name>.properties}, with the user and SO PINs in files beside it.
   */
  public static Path tokenConfig(Path dir, String prefix, String name) throws Exception {
    SoftHsmTokens.TestToken t = SoftHsmTokens.createToken(prefix + name);
    Path user = Files.writeString(dir.resolve(name + ".user.pin"), t.userPin());
    Path so = Files.writeString(dir.resolve(name + ".so.pin"), t.soPin());
    return Files.writeString(dir.resolve(name + ".properties"), String.join("\n",
        "pkcs11.module = " + SoftHsmTokens.module(), "pkcs11.token-label = " + t.label(),
        "pkcs11.user-pin = file:" + user, "pkcs11.so-pin = file:" + so, ""));
  }

  /**
   * {@code dir/member.properties} for member m1 alone, on its token config, with the layout the
   * CLI tests create under {@code dir}: {@code tls/} (dev CA), {@code tenant/} (tenant key),
   * {@code raft/} and {@code roster.json} (Raft credential), {@code data/}. {@code extra} lines
   * are appended.
   */
  public static Path memberConfig(Path dir, Path tokenConfig, String fleetId, int raftPort,
      int apiPort, String... extra) throws IOException {
    List<String> lines = new ArrayList<>(List.of(
        "node.id = m1",
        "node.peers = m1=127.0.0.1:" + raftPort,
        "node.data-dir = " + dir.resolve("data"),
        "node.election.min-ms = 150",
        "node.election.max-ms = 300",
        "node.listen = 127.0.0.1:" + apiPort,
        "node.fleet-id = " + fleetId,
        "node.tenant.keys = " + dir.resolve("tenant/tenant-keys.json"),
        "node.tls.cert = " + dir.resolve("tls/m1.pem"),
        "node.tls.key = " + dir.resolve("tls/m1-key.pem"),
        "node.raft.roster = " + dir.resolve("roster.json"),
        "node.raft.tls.cert = " + dir.resolve("raft/m1-raft.pem"),
        "node.raft.tls.key = " + dir.resolve("raft/m1-raft-key.pem")));
    lines.addAll(List.of(extra));
    lines.add("");
    return Files.writeString(dir.resolve("member.properties"),
        Files.readString(tokenConfig) + String.join("\n", lines));
  }

  /** Runs {@code bkv args…} in-process and asserts exit 0. */
  public static CliRun ok(String... args) {
    CliRun r = CliRun.of(args);
    assertEquals(0, r.exitCode(), r.toString());
    return r;
  }

  /**
   * Runs {@code bkv args…} in-process and asserts it fails with {@code code} and one error line
   * {@code bkv: …} containing {@code errorPart}.
   */
  public static CliRun fails(int code, String errorPart, String... args) {
    CliRun r = CliRun.of(args);
    assertEquals(code, r.exitCode(), r.toString());
    assertTrue(r.err().startsWith("bkv: ") && r.err().contains(errorPart), r.toString());
    assertEquals(1, r.err().strip().lines().count(), r.toString());
    return r;
  }

  /** A loopback port free right now. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
