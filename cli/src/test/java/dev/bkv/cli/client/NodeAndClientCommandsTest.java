package dev.bkv.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bkv.cli.CliFixture;
import dev.bkv.cli.CliRun;
import dev.bkv.cli.ExitCodes;
import dev.bkv.node.service.VaultNode;
import dev.bkv.pkcs11.testing.SoftHsmTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bkv node dev-ca}, {@code node dev-fleet-keys}, {@code node status} and {@code bkv
 * client register|recover|delete} against a one-member fleet (real SoftHSM2 token, real Ratis
 * server, gRPC over TLS) running in this JVM.
 */
class NodeAndClientCommandsTest {
  @TempDir static Path dir;
  static VaultNode node;
  static String fleetKey;
  static List<String> common;
  static String userPin;

  @BeforeAll
  static void startMember() throws Exception {
    SoftHsmTokens.TestToken t = SoftHsmTokens.createToken("cli-node");
    userPin = t.userPin();
    Path pin = Files.writeString(dir.resolve("user.pin"), t.userPin());
    Path tokenCfg = Files.writeString(dir.resolve("token.properties"), String.join("\n",
        "pkcs11.module = " + SoftHsmTokens.module(),
        "pkcs11.token-label = " + t.label(),
        "pkcs11.user-pin = file:" + pin, ""));
    CliRun ca = CliRun.of("node", "dev-ca", "--out", dir.resolve("tls").toString(),
        "--node", "m1");
    assertEquals(0, ca.exitCode(), ca.toString());
    CliRun keys = CliRun.of("node", "dev-fleet-keys", "--token", tokenCfg.toString(),
        "--fleet-id", "cli", "--secrets", dir.resolve("secrets.hex").toString(),
        "--member", "m1", "--members", "m1");
    assertEquals(0, keys.exitCode(), keys.toString());
    fleetKey = keys.out().trim();
    assertEquals(66, fleetKey.length(), keys.toString());
    CliRun tenant = CliRun.of("tenant", "keygen", "--out", dir.resolve("tenant").toString());
    assertEquals(0, tenant.exitCode(), tenant.toString());
    // Raft credential: an identity key on the token certifies the member's Raft TLS key; the
    // roster pins it, with the identity key given on the command line.
    CliRun init = CliRun.of("fleet", "init-member", "--token", tokenCfg.toString(),
        "--member-id", "m1", "--out", dir.resolve("m1.member.json").toString());
    assertEquals(0, init.exitCode(), init.toString());
    CliRun cert = CliRun.of("node", "member-cert", "--token", tokenCfg.toString(),
        "--member-id", "m1", "--out", dir.resolve("raft").toString(), "--valid-for", "2d",
        "--json");
    assertEquals(0, cert.exitCode(), cert.toString());
    String identity = new ObjectMapper().readTree(cert.out()).get("identityKey").asText();
    CliRun wrongId = CliRun.of("node", "member-cert", "--token", tokenCfg.toString(),
        "--member-id", "m2", "--out", dir.resolve("raft").toString());
    assertEquals(ExitCodes.BAD_INPUT, wrongId.exitCode(), wrongId.toString());
    assertTrue(wrongId.err().contains("belongs to member 'm1', not 'm2'"), wrongId.toString());
    CliRun roster = CliRun.of("node", "roster", "--member", "m1=" + identity, "--cert",
        dir.resolve("raft/m1-raft.pem").toString(), "--out", dir.resolve("roster.json").toString());
    assertEquals(0, roster.exitCode(), roster.toString());
    String other = "036b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296";
    CliRun forged = CliRun.of("node", "roster", "--member", "m1=" + other, "--cert",
        dir.resolve("raft/m1-raft.pem").toString(), "--out", dir.resolve("bad.json").toString());
    assertEquals(ExitCodes.AUTHENTICATION, forged.exitCode(), forged.toString());
    assertTrue(forged.err().contains("its certificate is not signed by its identity key"),
        forged.toString());
    int raft = freePort();
    int api = freePort();
    Path cfg = CliFixture.memberConfig(dir, tokenCfg, "cli", raft, api,
        "node.metrics.listen = 127.0.0.1:0");
    node = VaultNode.start(cfg);
    common = List.of("--endpoints", "127.0.0.1:" + api, "--fleet-key", fleetKey,
        "--ca", dir.resolve("tls/ca.pem").toString(), "--ksf", "identity");
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  /** A tenant token for {@code user} in a file, as the app's backend would hand it over. */
  static Path tenantToken(String user) {
    CliRun t = CliRun.of("tenant", "token", "--key",
        dir.resolve("tenant/tenant-private.jwk").toString(), "--user", user, "--ttl", "10m",
        "--audience", "cli");
    assertEquals(0, t.exitCode(), t.toString());
    try {
      return Files.writeString(dir.resolve(user + ".token"), t.out().strip());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static CliRun client(String cmd, String user, Path passwordFile, String... more) {
    List<String> args = new ArrayList<>(List.of("client", cmd, "--user", user,
        "--password-file", passwordFile.toString(),
        "--tenant-token", "file:" + tenantToken(user)));
    args.addAll(common);
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void registerRecoverWrongPasswordAndDelete() throws Exception {
    Path right = Files.writeString(dir.resolve("right.pw"), "tr0ub4dor\n");
    Path wrong = Files.writeString(dir.resolve("wrong.pw"), "guess\n");
    CliRun reg = client("register", "ana", right, "--json");
    assertEquals(0, reg.exitCode(), reg.toString());
    String key = new ObjectMapper().readTree(reg.out()).get("backupKey").asText();
    assertEquals(64, key.length());

    // Registering over a live record: the fleet's typed reason, its exit code and one line.
    CliRun again = client("register", "ana", right, "--json");
    assertEquals(ExitCodes.BAD_INPUT, again.exitCode(), again.toString());
    JsonNode exists = new ObjectMapper().readTree(again.out());
    assertEquals("rejected", exists.get("result").asText(), again.out());
    assertEquals("EXISTS", exists.get("reason").asText(), again.out());
    assertEquals(ExitCodes.BAD_INPUT, exists.get("exitCode").asInt(), again.out());
    assertEquals(1, again.err().strip().lines().count(), again.toString());

    CliRun rec = client("recover", "ana", right);
    assertEquals(0, rec.exitCode(), rec.toString());
    assertEquals(key, rec.out().trim());

    CliRun bad = client("recover", "ana", wrong, "--json");
    assertEquals(ExitCodes.AUTHENTICATION, bad.exitCode(), bad.toString());
    JsonNode j = new ObjectMapper().readTree(bad.out());
    assertEquals("wrong-password", j.get("result").asText());
    assertEquals(9, j.get("attemptsLeft").asInt());
    assertTrue(bad.err().contains("9 attempts left"), bad.toString());

    CliRun del = client("delete", "ana", right);
    assertEquals(0, del.exitCode(), del.toString());
    assertEquals(ExitCodes.AUTHENTICATION, client("recover", "ana", right).exitCode());
  }

  @Test
  void registerTakesAKeyFileAndBase64Output() throws Exception {
    Path pw = Files.writeString(dir.resolve("pw2"), "pw-two");
    Path keyFile = Files.writeString(dir.resolve("key.hex"), "11".repeat(32));
    CliRun reg = client("register", "ben", pw, "--backup-key-file", keyFile.toString());
    assertEquals(0, reg.exitCode(), reg.toString());
    CliRun rec = client("recover", "ben", pw, "--format", "base64");
    assertEquals(java.util.Base64.getEncoder().encodeToString(
        java.util.HexFormat.of().parseHex("11".repeat(32))), rec.out().trim(), rec.toString());
  }

  @Test
  void changePasswordAndTheAuditTrailShowsTheGuesses() throws Exception {
    Path old = Files.writeString(dir.resolve("old.pw"), "old-pw");
    Path fresh = Files.writeString(dir.resolve("new.pw"), "new-pw\n");
    Path wrong = Files.writeString(dir.resolve("wrong3.pw"), "nope");
    CliRun reg = client("register", "cy", old);
    assertEquals(0, reg.exitCode(), reg.toString());
    assertEquals(ExitCodes.AUTHENTICATION, client("recover", "cy", wrong).exitCode());
    CliRun rec = client("recover", "cy", old, "--json");
    assertEquals(0, rec.exitCode(), rec.toString());
    JsonNode audit = new ObjectMapper().readTree(rec.out()).get("audit");
    List<String> kinds = new ArrayList<>();
    audit.forEach(e -> kinds.add(e.get("kind").asText()));
    assertEquals(List.of("REGISTER", "ATTEMPT", "ATTEMPT", "SUCCESS"), kinds, rec.out());
    CliRun change = client("change-password", "cy", old, "--new-password-file",
        fresh.toString());
    assertEquals(0, change.exitCode(), change.toString());
    assertEquals(ExitCodes.AUTHENTICATION, client("recover", "cy", old).exitCode());
    CliRun after = client("recover", "cy", Files.writeString(dir.resolve("new2.pw"), "new-pw"));
    assertEquals(0, after.exitCode(), after.toString());
    assertEquals(new ObjectMapper().readTree(rec.out()).get("backupKey").asText(),
        after.out().trim());
  }

  /**
   * Without a tenant token for the user, a member refuses before doing anything: another
   * user's token, an expired one and a missing option each exit with one line, and the
   * record's attempts are untouched.
   */
  @Test
  void tenantTokensMustBeForTheUserAndCurrent() throws Exception {
    Path pw = Files.writeString(dir.resolve("dee.pw"), "pw-dee");
    assertEquals(0, client("register", "dee", pw).exitCode());
    List<String> base = new ArrayList<>(List.of("client", "recover", "--user", "dee",
        "--password-file", Files.writeString(dir.resolve("dee-wrong.pw"), "x").toString()));
    base.addAll(common);

    List<String> others = new ArrayList<>(base);
    others.addAll(List.of("--tenant-token", "file:" + tenantToken("eve")));
    CliRun other = CliRun.of(others.toArray(String[]::new));
    assertEquals(ExitCodes.AUTHENTICATION, other.exitCode(), other.toString());
    assertTrue(other.err().contains("UNAUTHENTICATED"), other.toString());
    assertEquals(1, other.err().strip().lines().count(), other.toString());
    others.add("--json");
    CliRun otherJson = CliRun.of(others.toArray(String[]::new));
    assertEquals("UNAUTHORIZED",
        new ObjectMapper().readTree(otherJson.out()).get("reason").asText(), otherJson.out());

    CliRun old = CliRun.of("tenant", "token", "--key",
        dir.resolve("tenant/tenant-private.jwk").toString(), "--user", "dee", "--ttl", "1m",
        "--audience", "cli", "--now", "2020-01-01T00:00:00Z");
    assertEquals(0, old.exitCode(), old.toString());
    List<String> expired = new ArrayList<>(base);
    expired.addAll(List.of("--tenant-token", "file:"
        + Files.writeString(dir.resolve("expired.token"), old.out().strip())));
    CliRun late = CliRun.of(expired.toArray(String[]::new));
    assertEquals(ExitCodes.AUTHENTICATION, late.exitCode(), late.toString());
    assertTrue(late.err().contains("expired"), late.toString());

    CliRun none = CliRun.of(base.toArray(String[]::new));
    assertEquals(ExitCodes.USAGE, none.exitCode(), none.toString());
    assertTrue(none.err().contains("--tenant-token"), none.toString());

    // None of the refused calls cost an attempt: one wrong guess now leaves 9.
    List<String> guess = new ArrayList<>(base);
    guess.addAll(List.of("--tenant-token", "file:" + tenantToken("dee"), "--json"));
    CliRun g = CliRun.of(guess.toArray(String[]::new));
    assertEquals(ExitCodes.AUTHENTICATION, g.exitCode(), g.toString());
    assertEquals(9, new ObjectMapper().readTree(g.out()).get("attemptsLeft").asInt());
  }

  @Test
  void literalPasswordsAreRefused() {
    List<String> args = new ArrayList<>(List.of("client", "recover", "--user", "x",
        "--password", "hunter2", "--tenant-token", "file:" + tenantToken("x")));
    args.addAll(common);
    CliRun r = CliRun.of(args.toArray(String[]::new));
    assertEquals(ExitCodes.USAGE, r.exitCode(), r.toString());
    assertTrue(r.err().contains("literal passwords are refused"), r.toString());
  }

  @Test
  void statusShowsTheFleetKey() throws Exception {
    CliRun s = CliRun.of("node", "status", "--endpoint", common.get(1), "--ca",
        dir.resolve("tls/ca.pem").toString(), "--json");
    assertEquals(0, s.exitCode(), s.toString());
    JsonNode j = new ObjectMapper().readTree(s.out());
    assertEquals(fleetKey, j.get("fleetKey").asText());
    assertEquals("m1", j.get("member").asText());
    assertEquals("cli", j.get("fleetId").asText());
    CliRun perUser = CliRun.of("node", "status", "--endpoint", common.get(1), "--ca",
        dir.resolve("tls/ca.pem").toString(), "--user", "alice");
    assertEquals(2, perUser.exitCode(), perUser.toString());
    assertTrue(perUser.err().startsWith("bkv: ") && perUser.err().contains("PERMISSION_DENIED")
        && perUser.err().contains("node.status.user-evaluations"), perUser.toString());
    assertEquals(1, perUser.err().strip().lines().count(), perUser.toString());
  }

  @Test
  void statusShowsHealthAndWithMetricsTheKeyFigures() throws Exception {
    String metrics = "127.0.0.1:" + node.metricsPort();
    JsonNode j = null;
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) { // the health status is re-evaluated every 2 s
      CliRun s = CliRun.of("node", "status", "--endpoint", common.get(1), "--ca",
          dir.resolve("tls/ca.pem").toString(), "--metrics", metrics, "--json");
      j = new ObjectMapper().readTree(s.out());
      if (s.exitCode() == 0) {
        break;
      }
      assertEquals(7, s.exitCode(), s.toString());
      assertEquals("NOT_SERVING", j.get("health").asText(), s.toString());
      Thread.sleep(200);
    }
    assertEquals("SERVING", j.get("health").asText(), j.toString());
    JsonNode shard = j.get("shards").get("0");
    assertEquals("leader", shard.get("role").asText(), j.toString());
    assertTrue(shard.get("commitIndex").asLong() >= 1, j.toString());
    assertTrue(shard.get("appliedIndex").asLong() >= 1, j.toString());
    assertTrue(j.get("counters").has("lockouts"), j.toString());

    CliRun text = CliRun.of("node", "status", "--endpoint", common.get(1), "--ca",
        dir.resolve("tls/ca.pem").toString(), "--metrics", "http://" + metrics + "/metrics");
    assertEquals(0, text.exitCode(), text.toString());
    assertTrue(text.out().lines().anyMatch(l -> l.matches("health\\s+SERVING")), text.out());
    assertTrue(text.out().contains("role=leader"), text.out());

    CliRun wrong = CliRun.of("node", "status", "--endpoint", common.get(1), "--ca",
        dir.resolve("tls/ca.pem").toString(), "--metrics", "127.0.0.1:1");
    assertEquals(7, wrong.exitCode(), wrong.toString());
    assertEquals(1, wrong.err().strip().lines().count(), wrong.toString());
  }

  /**
   * {@code bkv node run} with {@code node.log.format = json} (a second one-member fleet on the
   * same token): every line it writes to standard error is one JSON object, Ratis' included,
   * and neither the PIN nor the password nor the backup key is among them.
   */
  @Test
  void nodeRunWritesJsonLogLinesAndNoSecret() throws Exception {
    int api = freePort();
    String cfg = Files.readString(dir.resolve("member.properties"))
        .replaceAll("node.peers = m1=127.0.0.1:\\d+", "node.peers = m1=127.0.0.1:" + freePort())
        .replaceAll("node.listen = 127.0.0.1:\\d+", "node.listen = 127.0.0.1:" + api)
        .replace("node.data-dir = " + dir.resolve("data"), "node.data-dir = "
            + dir.resolve("data-json"))
        + "node.log.format = json\n";
    Path conf = Files.writeString(dir.resolve("member-json.properties"), cfg);
    Path errFile = dir.resolve("member-json.err");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"), "dev.bkv.cli.Bkv", "node",
        "run", "--config", conf.toString()).redirectError(errFile.toFile()).start();
    String backupKey;
    Path pw = Files.writeString(dir.resolve("json.pw"), "json-pa55-word\n");
    try {
      var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
          java.nio.charset.StandardCharsets.UTF_8));
      String ready = out.readLine();
      assertTrue(ready != null && ready.startsWith("ready m1 "), ready + " / "
          + Files.readString(errFile));
      List<String> endpoint = new ArrayList<>(common);
      endpoint.set(1, "127.0.0.1:" + api);
      List<String> args = new ArrayList<>(List.of("client", "register", "--user", "jo",
          "--password-file", pw.toString(), "--tenant-token", "file:" + tenantToken("jo")));
      args.addAll(endpoint);
      CliRun reg = CliRun.of(args.toArray(String[]::new));
      assertEquals(0, reg.exitCode(), reg.toString());
      backupKey = reg.out().strip();
    } finally {
      p.destroy(); // SIGTERM
      assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
    }
    String err = Files.readString(errFile);
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : err.split("\n")) {
      if (!line.isBlank()) {
        JsonNode j = json.readTree(line);
        assertTrue(j.isObject() && j.has("time") && j.has("level") && j.has("logger")
            && j.has("message"), line);
        lines.add(j);
      }
    }
    assertTrue(lines.stream().anyMatch(j -> j.get("message").asText()
        .contains("serves the vault API")), err);
    // Ratis' own lines reach the member log (node.log.raft-level, default INFO: the election).
    assertTrue(lines.stream().anyMatch(j -> j.get("logger").asText()
        .startsWith("org.apache.ratis.server") && j.get("level").asText().equals("INFO")), err);
    assertTrue(lines.stream().noneMatch(j -> j.get("logger").asText()
        .equals("org.apache.ratis.server.RaftServerConfigKeys")), "no configuration dump");
    for (String secret : List.of(userPin, "json-pa55-word", backupKey)) {
      assertTrue(!secret.isEmpty() && !err.contains(secret), "a secret is in the log");
      assertTrue(!err.contains(java.util.HexFormat.of().formatHex(secret.getBytes(
          java.nio.charset.StandardCharsets.UTF_8))), "a secret (hex) is in the log");
    }
  }

  private static int freePort() throws Exception {
    return CliFixture.freePort();
  }
}
