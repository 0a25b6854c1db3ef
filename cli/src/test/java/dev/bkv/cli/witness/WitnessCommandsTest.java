package dev.bkv.cli.witness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bkv.bundle.ClientState;
import dev.bkv.cli.CliFixture;
import dev.bkv.cli.CliRun;
import dev.bkv.cli.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bkv witness} over a cosigner's log of real bundles (evidence provisioned on SoftHSM2
 * tokens), and the witness policy of {@code bkv log verify}, {@code bkv bundle verify} and
 * {@code bkv client} bundle mode.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WitnessCommandsTest {
  @TempDir static Path dir;
  static Path operator;
  static Path cosigner;
  static Path log;
  static Path cosignerKey;
  static String operatorKey;
  static String[] vkeys = new String[4];

  @BeforeAll
  static void twoEpochsOfEvidence() throws Exception {
    operator = CliFixture.tokenConfig(dir, "wit", "op");
    for (int epoch = 1; epoch <= 2; epoch++) {
      Path member = CliFixture.tokenConfig(dir, "wit", "m" + epoch);
      ok("fleet", "init-member", "--token", member.toString(), "--member-id", "m" + epoch,
          "--out", dir.resolve("m" + epoch + ".member.json").toString());
      ok("fleet", "provision", "--fleet-id", "wit", "--epoch", "" + epoch, "--genesis",
          member.toString(), "--operator", operator.toString(), "--out",
          dir.resolve("evidence/" + epoch).toString(), "--time",
          "2026-11-2" + epoch + "T10:00:00Z");
    }
    cosigner = dir.resolve("cosigner");
    log = cosigner.resolve("log");
    cosignerKey = cosigner.resolve("cosigner.vkey");
    ok("cosigner", "init", "--dir", cosigner.toString(), "--name", "cosigner.test");
    operatorKey = ok("bundle", "operator-key", "--token", operator.toString()).out().strip();
  }

  static CliRun ok(String... args) {
    return CliFixture.ok(args);
  }

  static CliRun fails(int code, String errorPart, String... args) {
    CliRun r = CliFixture.fails(code, errorPart, args);
    assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), r.toString());
    return r;
  }

  static String bundle(int epoch) {
    return dir.resolve("b" + epoch + ".txt").toString();
  }

  static String evidence(int epoch) {
    return dir.resolve("evidence/" + epoch + "/evidence.dsse.json").toString();
  }

  static void create(int epoch) {
    String prev = epoch == 1 ? "--valid-for=30d" : "--prev=" + bundle(epoch - 1);
    ok("bundle", "create", "--evidence", evidence(epoch), prev, "--not-before",
        "2026-11-2" + epoch + "T00:00:00Z", "--out", bundle(epoch));
  }

  /** cosigner sign and operator countersign: asked again, it picks up the witnessed checkpoint. */
  static void signAndCountersign(int epoch) {
    ok("cosigner", "sign", bundle(epoch), "--evidence", evidence(epoch), "--dir",
        cosigner.toString());
    ok("bundle", "countersign", bundle(epoch) + ".cosigned", "--token", operator.toString(),
        "--cosigner-key", cosignerKey.toString());
  }

  static Path state(int w) {
    return dir.resolve("w" + w);
  }

  static CliRun cosign(int w, String... more) {
    List<String> args = new ArrayList<>(List.of("witness", "cosign", "--state",
        state(w).toString(), "--log", log.toString(), "--log-key", cosignerKey.toString()));
    args.addAll(Arrays.asList(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  static String[] logVerify(String... more) {
    List<String> args = new ArrayList<>(List.of("log", "verify", "--log", log.toString(),
        "--cosigner-key", cosignerKey.toString()));
    args.addAll(Arrays.asList(more));
    return args.toArray(String[]::new);
  }

  static String[] allThree(int threshold) {
    return new String[] {"--witness", vkeys[1], "--witness", vkeys[2], "--witness", vkeys[3],
        "--witness-threshold", "" + threshold};
  }

  static byte[] stateBytes(int w) throws IOException {
    try (Stream<Path> s = Files.list(state(w).resolve("checkpoints"))) {
      return Files.readAllBytes(s.findFirst().orElseThrow());
    }
  }

  @Test
  @Order(1)
  void initPrintsACosignatureVerifierKey() throws Exception {
    for (int w = 1; w <= 3; w++) {
      CliRun r = ok("witness", "init", "--state", state(w).toString(), "--name",
          "w" + w + ".witness.test");
      assertTrue(r.out().contains("verifier key: w" + w + ".witness.test+"), r.out());
      vkeys[w] = Files.readString(state(w).resolve("witness.vkey")).strip();
      assertTrue(r.out().contains(vkeys[w]), r.out());
      assertEquals(4, java.util.Base64.getDecoder().decode(vkeys[w].split("\\+", 3)[2])[0],
          "signature type 0x04: " + vkeys[w]);
      assertEquals("rw-------", PosixFilePermissions.toString(
          Files.getPosixFilePermissions(state(w).resolve("witness.key"))));
    }
    fails(ExitCodes.BAD_INPUT, "a witness already exists in", "witness", "init", "--state",
        state(1).toString(), "--name", "again");
    fails(ExitCodes.USAGE, "--name: key name", "witness", "init", "--state",
        dir.resolve("bad").toString(), "--name", "has space");
  }

  @Test
  @Order(2)
  void witnessesCosignAndLogVerifyCountsThem() throws Exception {
    create(1);
    signAndCountersign(1);
    CliRun first = cosign(1);
    assertEquals(0, first.exitCode(), first.toString());
    assertTrue(first.out().contains("cosigned cosigner.test at size 1")
        && first.out().contains("first checkpoint seen for this log"), first.out());
    assertEquals(0, cosign(2).exitCode());
    assertEquals(0, cosign(1).exitCode(), "cosigning the same checkpoint again is fine");

    CliRun two = ok(logVerify(allThree(2)));
    assertTrue(two.out().contains("witnesses ok") && two.out().contains(
        "2 valid cosignatures from 3 witnesses given"), two.out());
    CliRun three = fails(ExitCodes.CHECK_FAILED, "has 2 valid cosignatures from 3 witnesses"
        + " given", logVerify(allThree(3)));
    assertTrue(three.err().contains("w1.witness.test+") && three.err().contains("3 required"),
        three.err());
    JsonNode j = new ObjectMapper().readTree(ok(logVerify(append(allThree(1), "--json")))
        .out());
    assertEquals(2, j.get("witnesses").get("valid").size(), j.toString());
    assertEquals(1, j.get("report").get("size").asInt(), j.toString());
    ok(logVerify()); // no policy: unchanged

    Path keys = Files.writeString(dir.resolve("witnesses.txt"), "# the fleet's witnesses\n"
        + vkeys[1] + "\n\n" + vkeys[2] + "\n" + vkeys[3] + "\n");
    ok(logVerify("--witness", keys.toString(), "--witness-threshold", "2"));
    fails(ExitCodes.CHECK_FAILED, "1 valid cosignature from 2 witnesses", logVerify(
        "--witness", vkeys[1], "--witness", vkeys[3], "--witness-threshold", "2"));
  }

  @Test
  @Order(3)
  void duplicateLinesFromOneWitnessCountOnce() throws Exception {
    Path cp = log.resolve("checkpoint");
    String original = Files.readString(cp);
    String w1Line = original.lines().filter(l -> l.startsWith("\u2014 w1.witness.test "))
        .findFirst().orElseThrow();
    try {
      Files.writeString(cp, original + w1Line + "\n" + w1Line + "\n");
      fails(ExitCodes.CHECK_FAILED, "1 valid cosignature from 2 witnesses", logVerify(
          "--witness", vkeys[1], "--witness", vkeys[3], "--witness-threshold", "2"));
    } finally {
      Files.writeString(cp, original);
    }
  }

  @Test
  @Order(4)
  void bundleVerifyAndClientRequireTheWitnesses() throws Exception {
    // the cosigner answers again with the checkpoint the witnesses cosigned
    signAndCountersign(1);
    String cosigned = bundle(1) + ".cosigned";
    String[] verify = {"bundle", "verify", cosigned, "--cosigner-key", cosignerKey.toString(),
        "--operator-key", operatorKey, "--now", "2026-11-22T00:00:00Z"};
    ok(append(verify, allThree(2)));
    fails(ExitCodes.CHECK_FAILED, "MISSING_COSIGNATURES: bundle's checkpoint of size 1 lacks"
        + " witness cosignatures: checkpoint has 2 valid cosignatures", append(verify,
        allThree(3)));
    fails(ExitCodes.USAGE, "--witness needs --witness-threshold", append(verify,
        "--witness", vkeys[1]));
    fails(ExitCodes.BAD_INPUT, "--cosigner-key: w1.witness.test is a witness's cosignature key",
        "bundle", "verify", cosigned, "--cosigner-key", vkeys[1], "--operator-key", operatorKey);
    fails(ExitCodes.USAGE, "a witness key must be an Ed25519 cosignature/v1 key",
        append(verify, "--witness", cosignerKey.toString(), "--witness-threshold", "1"));

    // client bundle mode: the bundle is settled before any member is contacted
    Path clientState = dir.resolve("client/state.json");
    Path pw = Files.writeString(dir.resolve("pw"), "pw");
    Path token = Files.writeString(dir.resolve("token"), "not-a-token");
    String[] client = {"client", "register", "--user", "u", "--password-file", pw.toString(),
        "--tenant-token", "file:" + token, "--endpoints", "127.0.0.1:1", "--plaintext",
        "--bundle", cosigned, "--cosigner-key", cosignerKey.toString(), "--operator-key",
        operatorKey, "--state", clientState.toString(), "--now", "2026-11-22T00:00:00Z"};
    fails(ExitCodes.CHECK_FAILED, "MISSING_COSIGNATURES", append(client, allThree(3)));
    assertFalse(Files.exists(clientState), "a refused bundle stores nothing");
    CliRun accepted = CliRun.of(append(client, allThree(2)));
    assertTrue(Files.exists(clientState), accepted.toString());
    assertEquals(1, ClientState.read(clientState).epoch(), accepted.toString());
  }

  @Test
  @Order(5)
  void aWitnessRefusesRollbackAndForkAndKeepsItsState() throws Exception {
    Path snapshot = dir.resolve("log-at-1");
    copyTree(log, snapshot);
    create(2);
    signAndCountersign(2);
    CliRun at2 = cosign(1, "--json");
    assertEquals(0, at2.exitCode(), at2.toString());
    assertEquals(1, new ObjectMapper().readTree(at2.out()).get("previousSize").asInt());
    byte[] before = stateBytes(1);

    CliRun rollback = fails(ExitCodes.CHECK_FAILED, "not cosigned: log \"cosigner.test\":"
        + " checkpoint of size 1", "witness", "cosign", "--state", state(1).toString(), "--log",
        snapshot.toString(), "--log-key", cosignerKey.toString());
    assertTrue(rollback.err().contains("smaller than the size 2")
        && rollback.err().contains("rollback"), rollback.err());
    assertArrayEquals(before, stateBytes(1));

    // a fork: the log's key signs another tree of the same size
    Path forkDir = dir.resolve("forked-cosigner");
    Files.createDirectories(forkDir);
    for (String f : List.of("cosigner.key", "cosigner.properties")) {
      Files.copy(cosigner.resolve(f), forkDir.resolve(f),
          java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
    }
    Path other = dir.resolve("b1-other.txt");
    ok("bundle", "create", "--evidence", evidence(1), "--not-before", "2026-11-21T00:00:01Z",
        "--out", other.toString());
    ok("cosigner", "sign", other.toString(), "--evidence", evidence(1), "--dir",
        forkDir.toString());
    ok("bundle", "create", "--evidence", evidence(2), "--prev", other.toString(),
        "--not-before", "2026-11-22T00:00:00Z", "--out", dir.resolve("b2-other.txt").toString());
    ok("cosigner", "sign", dir.resolve("b2-other.txt").toString(), "--evidence", evidence(2),
        "--dir", forkDir.toString());
    CliRun fork = fails(ExitCodes.CHECK_FAILED, "(fork)", "witness", "cosign", "--state",
        state(1).toString(), "--log", forkDir.resolve("log").toString(), "--log-key",
        cosignerKey.toString());
    assertTrue(fork.err().contains("size 2"), fork.err());
    assertArrayEquals(before, stateBytes(1));

    // --out: the cosigned checkpoint goes to a file, the log's checkpoint is left alone
    byte[] published = Files.readAllBytes(log.resolve("checkpoint"));
    Path out = dir.resolve("w3-cosigned.txt");
    CliRun w3 = cosign(3, "--out", out.toString());
    assertEquals(0, w3.exitCode(), w3.toString());
    assertTrue(Files.readString(out).contains("\u2014 w3.witness.test "), Files.readString(out));
    assertArrayEquals(published, Files.readAllBytes(log.resolve("checkpoint")));
    // w1 only so far: one valid of the two required
    fails(ExitCodes.CHECK_FAILED, "1 valid cosignature from 2 witnesses", logVerify(
        "--witness", vkeys[1], "--witness", vkeys[3], "--witness-threshold", "2"));
    CliRun attached = ok("witness", "attach", "--log", log.toString(), "--log-key",
        cosignerKey.toString(), out.toString());
    assertTrue(attached.out().contains("checkpoint of size 2"), attached.out());
    ok(logVerify("--witness", vkeys[1], "--witness", vkeys[3], "--witness-threshold", "2"));
    fails(ExitCodes.CHECK_FAILED, "changed since it was cosigned", "witness", "attach", "--log",
        log.toString(), "--log-key", cosignerKey.toString(),
        snapshot.resolve("checkpoint").toString());

    fails(ExitCodes.NOT_FOUND, "no witness in", "witness", "cosign", "--state",
        dir.resolve("nowhere").toString(), "--log", log.toString(), "--log-key",
        cosignerKey.toString());
    fails(ExitCodes.BAD_INPUT, "--log-key: w2.witness.test is a witness's cosignature key",
        "witness", "cosign", "--state", state(1).toString(), "--log", log.toString(),
        "--log-key", vkeys[2]);
  }

  static String[] append(String[] args, String... more) {
    String[] out = Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, out, args.length, more.length);
    return out;
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else if (!p.getFileName().toString().equals(".lock")) {
          Files.copy(p, target);
        }
      }
    }
  }
}
