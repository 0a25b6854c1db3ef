package dev.bkv.cli.fleet;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bkv.cli.CliFixture;
import dev.bkv.cli.CliRun;
import dev.bkv.cli.ExitCodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** {@code bkv fleet ...} and {@code bkv evidence ...} on three member tokens and an operator. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetCommandsTest {
  @TempDir static Path dir;
  static List<Path> members = new ArrayList<>();
  static Path operator;

  @BeforeAll
  static void tokens() throws Exception {
    for (int i = 1; i <= 3; i++) {
      members.add(config("m" + i));
    }
    operator = config("op");
  }

  static Path config(String name) throws Exception {
    return CliFixture.tokenConfig(dir, "cli", name);
  }

  @Test
  @Order(1)
  void initMemberWritesAVerifiableDescriptor() throws Exception {
    for (int i = 0; i < 3; i++) {
      CliRun r = CliRun.of("fleet", "init-member", "--token", members.get(i).toString(),
          "--member-id", "m" + (i + 1), "--out", dir.resolve("m" + (i + 1) + ".member.json").toString(), "--json");
      assertEquals(0, r.exitCode(), r.toString());
      assertEquals("m" + (i + 1), json(r.out()).get("memberId").asText());
    }
    CliRun again = CliRun.of("fleet", "init-member", "--token", members.get(0).toString(),
        "--member-id", "other", "--out", dir.resolve("x.json").toString());
    assertEquals(ExitCodes.CHECK_FAILED, again.exitCode(), again.toString());
    assertTrue(again.err().startsWith("bkv: token ") && again.err().contains("already belongs to member 'm1'"), again.err());
    assertEquals(1, again.err().strip().lines().count(), again.err());
    CliRun bad = CliRun.of("fleet", "init-member", "--token", members.get(0).toString(),
        "--member-id", "no/slash", "--out", dir.resolve("x.json").toString());
    assertEquals(ExitCodes.USAGE, bad.exitCode(), bad.toString());
    assertTrue(bad.err().contains("member id 'no/slash' is invalid"), bad.err());
  }

  @Test
  @Order(2)
  void provisionThenVerifyOfflineAndLive() throws Exception {
    Path out = dir.resolve("one");
    CliRun p = CliRun.of("fleet", "provision", "--fleet-id", "cli", "--epoch", "1",
        "--genesis", members.get(0).toString(), "--member", members.get(1).toString(), members.get(2).toString(),
        "--operator", operator.toString(), "--out", out.toString(), "--time", "2026-11-27T10:00:00Z", "--json");
    assertEquals(0, p.exitCode(), p.toString());
    assertEquals(3, json(p.out()).get("members").asInt());
    assertTrue(p.err().contains("seal ["), p.err());
    Path evidence = out.resolve("evidence.dsse.json");

    CliRun v = CliRun.of("evidence", "verify", evidence.toString(), "--json");
    assertEquals(0, v.exitCode(), v.toString());
    JsonNode report = json(v.out());
    assertTrue(report.get("valid").asBoolean());
    assertEquals("2026-11-27T10:00:00Z", report.get("time").asText());
    assertEquals(4, report.get("fleetKeys").size());
    JsonNode shares = report.get("shareKeys");
    assertEquals(3, shares.size(), shares.toString());
    for (JsonNode set : shares) {
      assertEquals(2, set.get("holders").size(), set.toString());
      assertFalse(set.get("holders").toString().contains("\"" + set.get("set").asText() + "\""), set.toString());
      assertEquals(1, set.get("checkValues").size(), set.toString());
      assertEquals("fleet/cli/oprf-share/" + set.get("set").asText(), set.get("label").asText());
    }

    CliRun live = CliRun.of("evidence", "verify", evidence.toString(), "--live",
        members.get(1).toString(), members.get(2).toString());
    assertEquals(0, live.exitCode(), live.toString());
    assertTrue(live.out().contains("matches the evidence") && live.out().contains("evidence verified"), live.out());

    // the recovery protocol's HSM keys load from every provisioned member and agree
    java.util.Set<String> akes = new java.util.HashSet<>();
    for (Path cfg : members) {
      try (var t = dev.bkv.pkcs11.Pkcs11Token.open(dev.bkv.pkcs11.Pkcs11Config.load(cfg))) {
        var keys = dev.bkv.opaque.HsmServerKeys.open(t, "cli");
        keys.selfTest();
        akes.add(java.util.HexFormat.of().formatHex(keys.serverPublicKey().toUncompressed()));
      }
    }
    assertEquals(1, akes.size());
    assertEquals(report.get("fleetKeys").get(0).get("publicValue").asText(), akes.iterator().next());

    CliRun liveOperator = CliRun.of("evidence", "verify", evidence.toString(), "--live", operator.toString());
    assertEquals(ExitCodes.CHECK_FAILED, liveOperator.exitCode(), liveOperator.toString());
    assertTrue(liveOperator.err().contains("is not a member in the evidence"), liveOperator.err());
  }

  @Test
  @Order(3)
  void tamperedOrMissingEvidenceFailsWithOneLine() throws Exception {
    Path evidence = dir.resolve("one").resolve("evidence.dsse.json");
    JsonNode env = json(Files.readString(evidence));
    String payload = new String(Base64.getDecoder().decode(env.get("payload").asText()), StandardCharsets.UTF_8);
    String flipped = payload.replaceFirst("\"fleetId\" : \"cli\"", "\"fleetId\" : \"clj\"");
    assertNotEquals(payload, flipped);
    Path bad = dir.resolve("tampered.json");
    Files.writeString(bad, Files.readString(evidence).replace(env.get("payload").asText(),
        Base64.getEncoder().encodeToString(flipped.getBytes(StandardCharsets.UTF_8))));
    CliRun v = CliRun.of("evidence", "verify", bad.toString());
    assertEquals(ExitCodes.CHECK_FAILED, v.exitCode(), v.toString());
    assertTrue(v.err().startsWith("bkv: evidence check failed: "), v.err());
    assertEquals(1, v.err().strip().lines().count(), v.err());
    assertTrue(v.out().contains("FAIL DSSE signature of member m1 does not verify"), v.out());

    CliRun missing = CliRun.of("evidence", "verify", dir.resolve("nope.json").toString());
    assertEquals(ExitCodes.BAD_INPUT, missing.exitCode(), missing.toString());
    Files.writeString(dir.resolve("garbage.json"), "{\"payloadType\": 1");
    CliRun garbage = CliRun.of("evidence", "verify", dir.resolve("garbage.json").toString());
    assertEquals(ExitCodes.BAD_INPUT, garbage.exitCode(), garbage.toString());
    assertTrue(garbage.err().startsWith("bkv: evidence envelope "), garbage.err());
  }

  @Test
  @Order(4)
  void splitCeremonyThroughTheCli() throws Exception {
    Path out = dir.resolve("split");
    CliRun ex = CliRun.of("fleet", "export-keys", "--token", members.get(0).toString(), "--fleet-id", "spl",
        "--epoch", "3", "--member-descriptor", dir.resolve("m2.member.json").toString(),
        dir.resolve("m3.member.json").toString(), "--out", out.toString());
    assertEquals(0, ex.exitCode(), ex.toString());
    List<String> readbacks = new ArrayList<>(List.of(out.resolve("m1.readback.json").toString()));
    for (int i = 2; i <= 3; i++) {
      Path rb = out.resolve("m" + i + ".readback.json");
      CliRun im = CliRun.of("fleet", "import-keys", "--token", members.get(i - 1).toString(),
          "--keys", out.resolve("m" + i + ".keys.json").toString(),
          "--genesis-descriptor", out.resolve("m1.member.json").toString(), "--out", rb.toString());
      assertEquals(0, im.exitCode(), im.toString());
      readbacks.add(rb.toString());
    }
    Path evidence = out.resolve("evidence.dsse.json");
    List<String> args = new ArrayList<>(List.of("evidence", "prepare", "--operator", operator.toString(),
        "--fleet-id", "spl", "--epoch", "3", "--out", evidence.toString(), "--readback"));
    args.addAll(readbacks);
    CliRun prep = CliRun.of(args.toArray(String[]::new));
    assertEquals(0, prep.exitCode(), prep.toString());
    CliRun unsigned = CliRun.of("evidence", "verify", evidence.toString());
    assertEquals(ExitCodes.CHECK_FAILED, unsigned.exitCode(), unsigned.toString());
    assertTrue(unsigned.err().contains("no DSSE signature by member m1"), unsigned.err());
    for (Path cfg : List.of(members.get(0), members.get(1), members.get(2), operator)) {
      CliRun s = CliRun.of("evidence", "sign", evidence.toString(), "--token", cfg.toString());
      assertEquals(0, s.exitCode(), s.toString());
    }
    CliRun v = CliRun.of("evidence", "verify", evidence.toString(), "--live", members.get(2).toString());
    assertEquals(0, v.exitCode(), v.toString());

    CliRun reexport = CliRun.of("fleet", "export-keys", "--token", members.get(0).toString(), "--fleet-id", "spl",
        "--epoch", "3", "--member-descriptor", dir.resolve("m2.member.json").toString(), "--out", out.toString());
    assertEquals(ExitCodes.CHECK_FAILED, reexport.exitCode(), reexport.toString());
    assertTrue(reexport.err().contains("already sealed"), reexport.err());
  }

  @Test
  @Order(5)
  void failedProvisionRollsBackAndSaysSo() throws Exception {
    List<String> lines = Files.readAllLines(members.get(0));
    Path noSo = Files.write(dir.resolve("m1-noso.properties"),
        lines.stream().filter(l -> !l.startsWith("pkcs11.so-pin")).toList());
    CliRun p = CliRun.of("fleet", "provision", "--fleet-id", "noso", "--epoch", "1", "--genesis", noSo.toString(),
        "--member", members.get(1).toString(), "--operator", operator.toString(), "--out", dir.resolve("noso").toString());
    assertEquals(ExitCodes.HSM, p.exitCode(), p.toString());
    assertEquals(1, p.err().lines().filter(l -> l.startsWith("bkv: ")).count(), p.err());
    String line = p.err().lines().filter(l -> l.startsWith("bkv: ")).findFirst().orElseThrow();
    assertTrue(line.contains("failed during transfer") && line.contains("rolled back: no key of fleet noso remains"), line);
    assertFalse(Files.exists(dir.resolve("noso").resolve("evidence.dsse.json")));
    CliRun objects = CliRun.of("token", "objects", "--token", members.get(0).toString(), "--json");
    assertEquals(0, objects.exitCode(), objects.toString());
    assertFalse(objects.out().contains("fleet/noso/"), objects.out());
  }

  static JsonNode json(String s) throws Exception {
    return new ObjectMapper().readTree(s);
  }
}
