package dev.bkv.cli.fleet;

import static org.junit.jupiter.api.Assertions.*;

import dev.bkv.cli.CliFixture;
import dev.bkv.cli.CliRun;
import dev.bkv.cli.ExitCodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retiring epoch 1 from the command line: epoch 1 on members m1 and m2, epoch 2 on m3 (and a key
 * of epoch 2 beside epoch 1 on m1), both logged by a cosigner; then retire-member, retire,
 * cosigner retire and log verify.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class RetireCommandsTest {
  public static final String FLEET = "ret";
  @TempDir static Path dir;
  static Path[] members = new Path[4];
  static Path operator;
  static Path cosigner;

  @BeforeAll
  static void twoEpochsLogged() throws Exception {
    operator = CliFixture.tokenConfig(dir, "rc", "op");
    for (int i = 1; i <= 3; i++) {
      members[i] = CliFixture.tokenConfig(dir, "rc", "m" + i);
      ok("fleet", "init-member", "--token", members[i].toString(), "--member-id", "m" + i,
          "--out", dir.resolve("m" + i + ".member.json").toString());
    }
    ok("fleet", "provision", "--fleet-id", FLEET, "--epoch", "1", "--genesis",
        members[1].toString(), "--member", members[2].toString(), "--operator",
        operator.toString(), "--out", dir.resolve("evidence/1").toString(), "--time",
        "2026-11-21T10:00:00Z");
    ok("fleet", "provision", "--fleet-id", FLEET, "--epoch", "2", "--genesis",
        members[3].toString(), "--operator", operator.toString(), "--out",
        dir.resolve("evidence/2").toString(), "--time", "2026-11-22T10:00:00Z");
    ok("token", "keygen", "--token", members[1].toString(), "--type", "aes-256", "--label",
        "fleet/" + FLEET + "@2/record", "--usage", "encrypt");
    cosigner = dir.resolve("cosigner");
    ok("cosigner", "init", "--dir", cosigner.toString(), "--name", "cosigner.test");
    for (int epoch = 1; epoch <= 2; epoch++) {
      String prev = epoch == 1 ? "--valid-for=30d" : "--prev=" + bundle(1);
      ok("bundle", "create", "--evidence", evidence(epoch), prev, "--not-before",
          "2026-11-2" + epoch + "T00:00:00Z", "--out", bundle(epoch));
      ok("cosigner", "sign", bundle(epoch), "--evidence", evidence(epoch), "--dir",
          cosigner.toString());
    }
  }

  static CliRun ok(String... args) {
    return CliFixture.ok(args);
  }

  static CliRun fails(int code, String errorPart, String... args) {
    return CliFixture.fails(code, errorPart, args);
  }

  static String evidence(int epoch) {
    return dir.resolve("evidence/" + epoch + "/evidence.dsse.json").toString();
  }

  static String bundle(int epoch) {
    return dir.resolve("b" + epoch + ".txt").toString();
  }

  static String readback(int member) {
    return dir.resolve("m" + member + ".retired.json").toString();
  }

  static String[] retire(String records, String... more) {
    String[] base = {"fleet", "retire", "--fleet-id", FLEET, "--epoch", "1", "--operator",
        operator.toString(), "--bundle", bundle(1), "--readback", readback(1), readback(2),
        "--records", records, "--out", dir.resolve("retire-1.json").toString(), "--time",
        "2026-12-01T09:00:00Z"};
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  @Test
  @Order(1)
  void retireMemberDestroysEpochOneAndLeavesEpochTwo() throws Exception {
    fails(ExitCodes.CHECK_FAILED, "holds no object under fleet/ret@2/", "fleet", "retire-member",
        "--token", members[2].toString(), "--fleet-id", FLEET, "--epoch", "2", "--out",
        dir.resolve("none.json").toString());
    for (int i = 1; i <= 2; i++) {
      CliRun r = ok("fleet", "retire-member", "--token", members[i].toString(), "--fleet-id",
          FLEET, "--epoch", "1", "--out", readback(i), "--time", "2026-12-01T08:00:00Z");
      assertTrue(r.out().startsWith("member m" + i + ": "), r.out());
      assertTrue(r.out().contains("under fleet/ret/ destroyed, none left; " + (i == 1 ? 1 : 0)
          + " keys of other epochs remain"), r.out());
      CliRun objects = ok("token", "objects", "--token", members[i].toString());
      assertFalse(objects.out().contains("fleet/ret/"), objects.out());
      assertTrue(objects.out().contains("member/identity"), objects.out());
      assertEquals(i == 1, objects.out().contains("fleet/ret@2/record"), objects.out());
    }
    CliRun again = ok("fleet", "retire-member", "--token", members[1].toString(), "--fleet-id",
        FLEET, "--epoch", "1", "--out", readback(1), "--time", "2026-12-01T08:00:00Z");
    assertTrue(again.out().contains("none left"), again.out());
  }

  @Test
  @Order(2)
  void retireRefusesRecordsUnlessConfirmedAndATamperedReadBack() throws Exception {
    fails(ExitCodes.CHECK_FAILED, "epoch 1 still holds 3 records", retire("3"));
    assertFalse(Files.exists(dir.resolve("retire-1.json")));
    Path rb = Path.of(readback(2));
    String original = Files.readString(rb);
    String payload = original.replaceAll("(?s).*\"payload\" : \"([^\"]+)\".*", "$1");
    String decoded = new String(Base64.getDecoder().decode(payload), StandardCharsets.UTF_8);
    String forged = Base64.getEncoder().encodeToString(decoded.replace("\"destroyed\":[",
        "\"destroyed\":[\"fleet/ret/extra\",").getBytes(StandardCharsets.UTF_8));
    Files.writeString(rb, original.replace(payload, forged));
    try {
      fails(ExitCodes.CHECK_FAILED, "read-back of member m2 does not verify", retire("0"));
    } finally {
      Files.writeString(rb, original);
    }
    CliRun confirmed = ok(retire("3", "--confirm"));
    assertTrue(confirmed.out().contains("2 member read-backs verified, 3 records left"),
        confirmed.out());
    ok(retire("0"));
  }

  @Test
  @Order(3)
  void theCosignerLogsTheRetirementAndTheLogWalksIt() throws Exception {
    String file = dir.resolve("retire-1.json").toString();
    fails(ExitCodes.CHECK_FAILED, "RETIREMENT_INVALID", "cosigner", "retire", file,
        "--evidence", evidence(2), "--dir", cosigner.toString());
    CliRun logged = ok("cosigner", "retire", file, "--evidence", evidence(1), "--dir",
        cosigner.toString());
    assertTrue(logged.out().startsWith("logged the retirement of epoch 1 (leaf 2)"), logged.out());
    Path evidenceDir = dir.resolve("evidence");
    CliRun v = ok("log", "verify", "--log", cosigner.resolve("log").toString(),
        "--cosigner-key", cosigner.resolve("cosigner.vkey").toString(), "--evidence-dir",
        evidenceDir.toString());
    assertTrue(v.out().contains("3 entries (2 epochs, 1 retirements)"), v.out());
    assertTrue(v.out().contains("epoch 1 retired at 2026-12-01T09:00:00Z (leaf 2)"), v.out());
    assertTrue(v.out().contains("leaf 2  ok    epoch 1 retired at 2026-12-01T09:00:00Z, 0 records left"),
        v.out());
    assertFalse(v.out().contains("FAIL"), v.out());
  }

  @Test
  @Order(4)
  void theLogSiteShowsBothEpochsAndTheRetirementInABrowser() throws Exception {
    Path site = Path.of("target", "log-site").toAbsolutePath();
    ok("witness", "init", "--state", dir.resolve("witness").toString(), "--name", "witness.test");
    ok("witness", "cosign", "--state", dir.resolve("witness").toString(), "--log",
        cosigner.resolve("log").toString(), "--log-key", cosigner.resolve("cosigner.vkey").toString());
    CliRun r = ok("log", "site", "--log", cosigner.resolve("log").toString(), "--cosigner-key",
        cosigner.resolve("cosigner.vkey").toString(), "--evidence-dir",
        dir.resolve("evidence").toString(), "--out", site.toString());
    assertTrue(r.out().startsWith("wrote 3 pages (2 epochs, 1 retirements)"), r.out());
    for (String f : List.of("cosigner.vkey", "log/checkpoint", "log/bundles/1.note",
        "log/retirements/1.note", "log/retirements/1.json", "evidence/1/evidence.dsse.json",
        "evidence/2/evidence.dsse.json")) {
      assertTrue(Files.isRegularFile(site.resolve(f)), f);
    }
    for (String page : List.of("index.html", "epoch-1.html", "epoch-2.html")) {
      assertFalse(Files.readString(site.resolve(page)).contains("<script"), page);
    }
    String index = Browser.text(site.resolve("index.html"));
    assertTrue(index.contains("Fleet log cosigner.test"), index);
    assertTrue(index.contains("Epoch 1") && index.contains("Epoch 2"), index);
    assertTrue(index.contains("cosigner.test") && index.contains("witness.test"),
        "the checkpoint's signature lines with their key names: " + index);
    assertTrue(index.contains("retired at 2026-12-01T09:00:00Z (leaf 2)"), index);
    assertTrue(index.contains("bkv log verify --log log --cosigner-key cosigner.vkey"
        + " --evidence-dir evidence"), index);
    assertFalse(index.contains("FAILED"), index);

    String one = Browser.text(site.resolve("epoch-1.html"));
    assertTrue(one.contains("Fleet ret, epoch 1"), one);
    assertTrue(one.contains("SoftHSM project / SoftHSM v2"), one);
    assertTrue(one.contains("fleet/ret/ake") && one.contains("fleet/ret/oprf-seed"), one);
    assertTrue(one.contains("member m1 added") && one.contains("member m2 added"), one);
    assertTrue(one.contains("Records left at retirement"), one);
    assertTrue(one.contains("fleet/ret@2/record"), "m1's key of epoch 2 stays: " + one);
    assertTrue(one.contains("operator (operator/countersign)"), one);
    assertTrue(one.contains("bkv evidence verify evidence/1/evidence.dsse.json"), one);
    String two = Browser.text(site.resolve("epoch-2.html"));
    assertTrue(two.contains("Fleet ret, epoch 2"), two);
    assertTrue(two.contains("member m3 added") && two.contains("member m1 removed"), two);
    assertTrue(two.contains("Not retired"), two);

    Path shot = Browser.screenshot(site.resolve("epoch-1.html"),
        Path.of("target", "log-site-epoch-1.png").toAbsolutePath());
    assertTrue(Files.size(shot) > 10_000, "screenshot of " + Files.size(shot) + " bytes");
    byte[] png = Files.readAllBytes(shot);
    assertEquals((byte) 0x89, png[0]);
    assertEquals('P', png[1]);
  }
}
