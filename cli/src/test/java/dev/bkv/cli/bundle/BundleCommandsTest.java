package dev.bkv.cli.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bkv.cli.CliFixture;
import dev.bkv.cli.CliRun;
import dev.bkv.cli.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bkv bundle}, {@code bkv cosigner} and {@code bkv log} over real evidence from two
 * provisioned epochs on SoftHSM2 tokens; the operator countersigns in its token.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BundleCommandsTest {
  @TempDir static Path dir;
  static Path operator;
  static Path cosigner;
  static Path cosignerKey;
  static String operatorKey;
  static Path state;

  @BeforeAll
  static void twoEpochsOfEvidence() throws Exception {
    operator = config("op");
    for (int epoch = 1; epoch <= 2; epoch++) {
      Path member = config("m" + epoch);
      ok("fleet", "init-member", "--token", member.toString(), "--member-id", "m" + epoch,
          "--out", dir.resolve("m" + epoch + ".member.json").toString());
      ok("fleet", "provision", "--fleet-id", "bund", "--epoch", "" + epoch, "--genesis",
          member.toString(), "--operator", operator.toString(), "--out",
          dir.resolve("evidence/" + epoch).toString(), "--time", "2026-11-2" + epoch + "T10:00:00Z");
    }
    cosigner = dir.resolve("cosigner");
    cosignerKey = cosigner.resolve("cosigner.vkey");
    state = dir.resolve("client/state.json");
  }

  static Path config(String name) throws Exception {
    return CliFixture.tokenConfig(dir, "bnd", name);
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

  /** create, cosign, countersign in the HSM: the operator's and cosigner's steps for an epoch. */
  static void publish(int epoch) {
    String prev = epoch == 1 ? "--valid-for=30d" : "--prev=" + bundle(epoch - 1);
    CliRun created = ok("bundle", "create", "--evidence", evidence(epoch), prev, "--not-before",
        "2026-11-2" + epoch + "T00:00:00Z", "--out", bundle(epoch));
    assertTrue(created.out().startsWith("bkv.dev/validation-bundle/v1\nfleet bund\nepoch "
        + epoch + "\n"), created.out());
    CliRun signed = ok("cosigner", "sign", bundle(epoch), "--evidence", evidence(epoch), "--dir",
        cosigner.toString());
    assertTrue(signed.out().contains("signed epoch " + epoch), signed.out());
    ok("bundle", "countersign", bundle(epoch) + ".cosigned", "--token", operator.toString(),
        "--cosigner-key", cosignerKey.toString());
  }

  static String[] verify(int epoch, String now, String operatorVkey) {
    return new String[] {"bundle", "verify", bundle(epoch) + ".cosigned", "--cosigner-key",
        cosignerKey.toString(), "--operator-key", operatorVkey, "--state", state.toString(),
        "--log", cosigner.resolve("log").toString(), "--now", now};
  }

  @Test
  @Order(1)
  void publishAndVerifyTwoEpochs() throws Exception {
    CliRun init = ok("cosigner", "init", "--dir", cosigner.toString(), "--name", "cosigner.test");
    assertTrue(init.out().contains("verifier key: cosigner.test+"), init.out());
    operatorKey = ok("bundle", "operator-key", "--token", operator.toString()).out().strip();
    assertTrue(operatorKey.startsWith("bkv-operator+"), operatorKey);

    publish(1);
    CliRun v1 = ok(verify(1, "2026-11-22T00:00:00Z", operatorKey));
    assertTrue(v1.out().contains("bundle verified: fleet bund epoch 1"), v1.out());
    publish(2);
    CliRun v2 = ok(append(verify(2, "2026-11-23T00:00:00Z", operatorKey), "--json"));
    JsonNode j = new ObjectMapper().readTree(v2.out());
    assertEquals(2, j.get("epoch").asInt());
    assertEquals(2, j.get("highestEpochSeen").asInt());
    assertTrue(j.get("members").has("m2"), v2.out());

    CliRun again = ok("cosigner", "sign", bundle(1), "--evidence", evidence(1), "--dir",
        cosigner.toString(), "--out", dir.resolve("again.cosigned").toString());
    assertTrue(again.out().contains("signed epoch 1"), again.out());
  }

  @Test
  @Order(2)
  void clientRefusalsHaveReasonsAndExitCodesAndKeepState() throws Exception {
    byte[] before = Files.readAllBytes(state);
    fails(ExitCodes.CHECK_FAILED, "ROLLBACK: bundle epoch 1 is below epoch 2",
        verify(1, "2026-11-22T00:00:00Z", operatorKey));
    fails(ExitCodes.CHECK_FAILED, "EXPIRED: bundle of epoch 2 expired",
        verify(2, "2027-02-01T00:00:00Z", operatorKey));
    fails(ExitCodes.AUTHENTICATION, "UNKNOWN_KEY: countersignature is by bkv-operator+",
        verify(2, "2026-11-23T00:00:00Z", Files.readString(cosignerKey).strip()));
    fails(ExitCodes.BAD_INPUT, "--operator-key: verifier key",
        verify(2, "2026-11-23T00:00:00Z", "not-a-key"));
    assertArrayEquals(before, Files.readAllBytes(state), "state changes only on success");
  }

  @Test
  @Order(3)
  void cosignerRefusesASecondBundleForAnEpoch() throws Exception {
    Path other = dir.resolve("b2-other.txt");
    ok("bundle", "create", "--evidence", evidence(2), "--prev", bundle(1), "--not-before",
        "2026-11-23T00:00:00Z", "--out", other.toString());
    fails(ExitCodes.EQUIVOCATION, "EQUIVOCATION at epoch 2", "cosigner", "sign",
        other.toString(), "--evidence", evidence(2), "--dir", cosigner.toString());
    fails(ExitCodes.CHECK_FAILED, "EVIDENCE_MISMATCH", "cosigner", "sign", bundle(2),
        "--evidence", evidence(1), "--dir", cosigner.toString());
    JsonNode env = new ObjectMapper().readTree(Files.readString(Path.of(evidence(2))));
    ((com.fasterxml.jackson.databind.node.ObjectNode) env).putArray("signatures");
    Path unsigned = dir.resolve("unsigned.dsse.json");
    Files.writeString(unsigned, env.toString());
    fails(ExitCodes.CHECK_FAILED, "EVIDENCE_INVALID: evidence check failed: no DSSE signature",
        "cosigner", "sign", bundle(2), "--evidence", unsigned.toString(), "--dir",
        cosigner.toString());
    fails(ExitCodes.NOT_FOUND, "no cosigner in", "cosigner", "sign", bundle(2),
        "--evidence", evidence(2), "--dir", dir.resolve("nowhere").toString());
  }

  @Test
  @Order(4)
  void logVerifyWalksEveryEpoch() throws Exception {
    CliRun r = ok("log", "verify", "--log", cosigner.resolve("log").toString(), "--cosigner-key",
        cosignerKey.toString(), "--evidence-dir", dir.resolve("evidence").toString());
    assertTrue(r.out().contains("2 epochs"), r.out());
    assertTrue(r.out().contains("member m2 added") && r.out().contains("member m1 removed")
        && r.out().contains("AKE key rotated"), r.out());
    JsonNode j = new ObjectMapper().readTree(ok("log", "verify", "--log",
        cosigner.resolve("log").toString(), "--cosigner-key", cosignerKey.toString(),
        "--evidence-dir", dir.resolve("evidence").toString(), "--json").out());
    assertEquals(2, j.get("epochs").size());
    assertTrue(j.get("epochs").get(1).get("checks").toString().contains("evidence payload hash"),
        j.toString());
    Path note = cosigner.resolve("log/bundles/2.note");
    String text = Files.readString(note);
    Files.writeString(note, text.replace("epoch 2", "epoch 3"));
    fails(ExitCodes.CHECK_FAILED, "1 of 2 epochs failed; first: epoch 2", "log", "verify",
        "--log", cosigner.resolve("log").toString(), "--cosigner-key", cosignerKey.toString());
    Files.writeString(note, text);
  }

  @Test
  @Order(5)
  void cosignerKeyOnAToken() throws Exception {
    Path token = config("cos");
    Path dir2 = dir.resolve("cosigner-hsm");
    ok("cosigner", "init", "--dir", dir2.toString(), "--token", token.toString(), "--label",
        "cosigner/log", "--name", "hsm.cosigner");
    ok("cosigner", "sign", bundle(1), "--evidence", evidence(1), "--dir", dir2.toString(),
        "--out", dir.resolve("hsm.cosigned").toString());
    ok("bundle", "countersign", dir.resolve("hsm.cosigned").toString(), "--token",
        operator.toString(), "--cosigner-key", dir2.resolve("cosigner.vkey").toString());
    ok("bundle", "verify", dir.resolve("hsm.cosigned").toString(), "--cosigner-key",
        dir2.resolve("cosigner.vkey").toString(), "--operator-key", operatorKey, "--now",
        "2026-11-22T00:00:00Z");
    fails(ExitCodes.AUTHENTICATION, "refusing to countersign", "bundle", "countersign",
        dir.resolve("hsm.cosigned").toString(), "--token", operator.toString(),
        "--cosigner-key", cosignerKey.toString());
  }

  @Test
  @Order(5)
  void aCosignerKeyOnATokenWithoutEdDsaSignsEcdsaNotes() throws Exception {
    // the ECDSA P-256 fallback: the key under the label is what `cosigner init` makes on a
    // token whose `token check` finds no EdDSA (NSS softokn 3.87)
    Path token = config("cos-ec");
    ok("token", "keygen", "--token", token.toString(), "--type", "ec-p256", "--label",
        "cosigner/log", "--usage", "sign");
    Path dir3 = dir.resolve("cosigner-ecdsa");
    ok("cosigner", "init", "--dir", dir3.toString(), "--token", token.toString(), "--label",
        "cosigner/log", "--name", "ecdsa.cosigner");
    String vkey = Files.readString(dir3.resolve("cosigner.vkey")).strip();
    // name+keyid+base64(type || key); the base64 part may itself contain '+'
    assertEquals(2, java.util.Base64.getDecoder().decode(vkey.split("\\+", 3)[2])[0],
        "note signature type 0x02 (ECDSA P-256): " + vkey);
    ok("cosigner", "sign", bundle(1), "--evidence", evidence(1), "--dir", dir3.toString(),
        "--out", dir.resolve("ecdsa.cosigned").toString());
    ok("bundle", "countersign", dir.resolve("ecdsa.cosigned").toString(), "--token",
        operator.toString(), "--cosigner-key", dir3.resolve("cosigner.vkey").toString());
    ok("bundle", "verify", dir.resolve("ecdsa.cosigned").toString(), "--cosigner-key",
        dir3.resolve("cosigner.vkey").toString(), "--operator-key", operatorKey, "--now",
        "2026-11-22T00:00:00Z");
  }

  @Test
  @Order(6)
  void clientCatchesAForkedCosignerAndKeepsTheProof() throws Exception {
    Path forked = dir.resolve("forked-cosigner");
    Files.createDirectories(forked);
    for (String f : List.of("cosigner.key", "cosigner.properties")) {
      Files.copy(cosigner.resolve(f), forked.resolve(f), StandardCopyOption.COPY_ATTRIBUTES);
    }
    Path other = dir.resolve("b1-other.txt");
    ok("bundle", "create", "--evidence", evidence(1), "--not-before", "2026-11-21T00:00:01Z",
        "--out", other.toString());
    ok("cosigner", "sign", other.toString(), "--evidence", evidence(1), "--dir", forked.toString());
    ok("bundle", "countersign", other + ".cosigned", "--token", operator.toString(),
        "--cosigner-key", cosignerKey.toString());
    Path fresh = dir.resolve("client2/state.json");
    String[] first = verify(1, "2026-11-22T00:00:00Z", operatorKey);
    first[8] = fresh.toString();
    ok(first);
    String[] second = first.clone();
    second[2] = other + ".cosigned";
    fails(ExitCodes.EQUIVOCATION, "EQUIVOCATION at epoch 1: bundle ", second);
    String proof = Files.readString(fresh.resolveSibling("state.json.equivocation-1"));
    assertEquals(2, proof.split("\n\u2014 cosigner.test ").length - 1, proof);
    assertTrue(proof.contains("not-before 2026-11-21T00:00:01Z"), proof);
  }

  static String[] append(String[] args, String more) {
    String[] out = java.util.Arrays.copyOf(args, args.length + 1);
    out[args.length] = more;
    return out;
  }
}
