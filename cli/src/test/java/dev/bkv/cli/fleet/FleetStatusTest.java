package dev.bkv.cli.fleet;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bkv.cli.CliFixture;
import dev.bkv.cli.CliRun;
import dev.bkv.cli.ExitCodes;
import dev.bkv.node.service.VaultNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bkv fleet status} against a one-member fleet provisioned by the ceremony, logged by a
 * cosigner and served by a member (real SoftHSM2 token, real Ratis server, gRPC over TLS) in
 * this JVM; and the record count {@code bkv node status} now reports.
 */
class FleetStatusTest {
  @TempDir static Path dir;
  static VaultNode node;
  static int api;
  static Path cosigner;

  @BeforeAll
  static void provisionLogAndStart() throws Exception {
    Path token = CliFixture.tokenConfig(dir, "fs", "m1");
    Path operator = CliFixture.tokenConfig(dir, "fs", "op");
    ok("node", "dev-ca", "--out", dir.resolve("tls").toString(), "--node", "m1");
    ok("tenant", "keygen", "--out", dir.resolve("tenant").toString());
    ok("fleet", "init-member", "--token", token.toString(), "--member-id", "m1", "--out",
        dir.resolve("m1.member.json").toString());
    ok("fleet", "provision", "--fleet-id", "stat", "--epoch", "1", "--genesis", token.toString(),
        "--operator", operator.toString(), "--out", dir.resolve("evidence/1").toString());
    String evidence = dir.resolve("evidence/1/evidence.dsse.json").toString();
    cosigner = dir.resolve("cosigner");
    ok("cosigner", "init", "--dir", cosigner.toString(), "--name", "cosigner.test");
    ok("bundle", "create", "--evidence", evidence, "--valid-for=30d", "--out",
        dir.resolve("b1.txt").toString());
    ok("cosigner", "sign", dir.resolve("b1.txt").toString(), "--evidence", evidence, "--dir",
        cosigner.toString());
    CliRun cert = ok("node", "member-cert", "--token", token.toString(), "--member-id", "m1",
        "--out", dir.resolve("raft").toString(), "--valid-for", "2d", "--json");
    String identity = new ObjectMapper().readTree(cert.out()).get("identityKey").asText();
    ok("node", "roster", "--member", "m1=" + identity, "--cert",
        dir.resolve("raft/m1-raft.pem").toString(), "--out", dir.resolve("roster.json").toString());
    api = CliFixture.freePort();
    node = VaultNode.start(CliFixture.memberConfig(dir, token, "stat", CliFixture.freePort(), api));
    // The health status is re-evaluated every 2 s once the member has a Raft leader.
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline && CliRun.of("node", "status", "--endpoint",
        "127.0.0.1:" + api, "--ca", dir.resolve("tls/ca.pem").toString()).exitCode() != 0) {
      Thread.sleep(200);
    }
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  static CliRun ok(String... args) {
    return CliFixture.ok(args);
  }

  static CliRun status(String... endpoints) {
    List<String> args = new ArrayList<>(List.of("fleet", "status", "--log",
        cosigner.resolve("log").toString(), "--cosigner-key",
        cosigner.resolve("cosigner.vkey").toString(), "--ca",
        dir.resolve("tls/ca.pem").toString(), "--json"));
    for (String e : endpoints) {
      args.addAll(List.of("--endpoint", e));
    }
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void eachEpochsMembersHealthAndRecords() throws Exception {
    JsonNode before = okJson(status("1:m1=127.0.0.1:" + api));
    JsonNode m1 = before.get("epochs").get(0).get("members").get(0);
    assertEquals("SERVING", m1.get("health").asText(), before.toString());
    assertTrue(m1.get("problem").isNull(), before.toString());
    assertEquals(0, before.get("epochs").get(0).get("records").asLong(), before.toString());

    String fleetKey = json(ok("node", "status", "--endpoint", "127.0.0.1:" + api, "--ca",
        dir.resolve("tls/ca.pem").toString(), "--json")).get("fleetKey").asText();
    Path pw = Files.writeString(dir.resolve("pw"), "tr0ub4dor\n");
    CliRun tok = ok("tenant", "token", "--key", dir.resolve("tenant/tenant-private.jwk").toString(),
        "--user", "ana", "--ttl", "10m", "--audience", "stat");
    Path tenantToken = Files.writeString(dir.resolve("ana.token"), tok.out().strip());
    ok("client", "register", "--user", "ana", "--password-file", pw.toString(), "--tenant-token",
        "file:" + tenantToken, "--endpoints", "127.0.0.1:" + api, "--fleet-key", fleetKey, "--ca",
        dir.resolve("tls/ca.pem").toString(), "--ksf", "identity");

    CliRun node = ok("node", "status", "--endpoint", "127.0.0.1:" + api, "--ca",
        dir.resolve("tls/ca.pem").toString(), "--json");
    long held = 0;
    for (JsonNode n : json(node).get("shardRecords")) {
      held += n.asLong();
    }
    assertEquals(1, held, node.out());
    JsonNode after = okJson(status("1:m1=127.0.0.1:" + api));
    assertEquals(1, after.get("epochs").get(0).get("records").asLong(), after.toString());

    CliRun text = CliRun.of("fleet", "status", "--log", cosigner.resolve("log").toString(),
        "--cosigner-key", cosigner.resolve("cosigner.vkey").toString(), "--ca",
        dir.resolve("tls/ca.pem").toString(), "--endpoint", "1:m1=127.0.0.1:" + api);
    assertEquals(0, text.exitCode(), text.toString());
    assertTrue(text.out().startsWith("epoch 1  fleet stat  active  records 1"), text.out());

    CliRun wrong = status("1:m1=127.0.0.1:" + CliFixture.freePort());
    assertEquals(ExitCodes.UNAVAILABLE, wrong.exitCode(), wrong.toString());
    assertEquals("UNREACHABLE", json(wrong).get("epochs").get(0).get("members").get(0)
        .get("health").asText(), wrong.toString());
    CliRun usage = status("m1=127.0.0.1:" + api);
    assertEquals(ExitCodes.USAGE, usage.exitCode(), usage.toString());
    assertTrue(usage.err().contains("is not EPOCH:MEMBER=HOST:PORT"), usage.err());
  }

  static JsonNode okJson(CliRun r) throws Exception {
    assertEquals(0, r.exitCode(), r.toString());
    return json(r);
  }

  static JsonNode json(CliRun r) throws Exception {
    return new ObjectMapper().readTree(r.out());
  }
}
