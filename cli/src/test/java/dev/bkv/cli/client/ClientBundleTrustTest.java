package dev.bkv.cli.client;

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
import dev.bkv.node.service.VaultNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bkv client register|recover} in bundle mode, end to end: a one-member fleet provisioned
 * by the ceremony on a SoftHSM2 token (deployment evidence), its validation bundle logged and
 * signed by a cosigner and countersigned in the operator's token, and a member serving on that
 * token over TLS. The client pins only the cosigner's and the operator's keys.
 */
class ClientBundleTrustTest {
  @TempDir static Path dir;
  static VaultNode node;
  static Path operator;
  static String operatorKey;
  static String endpoint;

  @BeforeAll
  static void provisionPublishAndServe() throws Exception {
    operator = config("op");
    Path member = config("m1");
    publish("cbt", "m1", member, "cos", "cosigner.test");
    publish("rival", "r1", config("r1"), "cos-rival", "rival.cosigner.test");
    operatorKey = ok("bundle", "operator-key", "--token", operator.toString()).out().strip();
    ok("node", "dev-ca", "--out", dir.resolve("tls").toString(), "--node", "m1");
    ok("tenant", "keygen", "--out", dir.resolve("tenant").toString());
    // The member's Raft credential, certified by its identity key in the token, and the
    // roster built from the verified evidence.
    CliRun cert = ok("node", "member-cert", "--token", member.toString(), "--member-id", "m1",
        "--out", dir.resolve("raft").toString());
    assertTrue(cert.out().contains("certified by identity key "), cert.toString());
    CliRun roster = ok("node", "roster", "--evidence",
        dir.resolve("cbt/evidence.dsse.json").toString(), "--cert",
        dir.resolve("raft/m1-raft.pem").toString(), "--out", dir.resolve("roster.json").toString());
    assertTrue(roster.out().contains("member m1: identity key "), roster.toString());
    CliRun rival = CliRun.of("node", "roster", "--evidence",
        dir.resolve("rival/evidence.dsse.json").toString(), "--cert",
        dir.resolve("raft/m1-raft.pem").toString(), "--out", dir.resolve("x.json").toString());
    assertEquals(ExitCodes.BAD_INPUT, rival.exitCode(), rival.toString());
    assertTrue(rival.err().contains("identity keys are given for members [r1] but certificates "
        + "for [m1]"), rival.toString());
    int raft = freePort();
    int api = freePort();
    Path cfg = CliFixture.memberConfig(dir, member, "cbt", raft, api, "node.epoch = 1");
    node = VaultNode.start(cfg);
    endpoint = "127.0.0.1:" + api;
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  static Path config(String name) throws Exception {
    return CliFixture.tokenConfig(dir, "cbt", name);
  }

  static CliRun ok(String... args) {
    return CliFixture.ok(args);
  }

  /** Provisions epoch 1 of a fleet, then: bundle create, cosigner sign, operator countersign. */
  static void publish(String fleet, String memberId, Path member, String cosigner, String name) {
    Path evidence = dir.resolve(fleet + "/evidence.dsse.json");
    Path bundle = dir.resolve(fleet + "/bundle-1.txt");
    ok("fleet", "init-member", "--token", member.toString(), "--member-id", memberId, "--out",
        dir.resolve(memberId + ".member.json").toString());
    ok("fleet", "provision", "--fleet-id", fleet, "--epoch", "1", "--genesis",
        member.toString(), "--operator", operator.toString(), "--out",
        evidence.getParent().toString());
    ok("bundle", "create", "--evidence", evidence.toString(), "--valid-for", "30d", "--out",
        bundle.toString());
    ok("cosigner", "init", "--dir", dir.resolve(cosigner).toString(), "--name", name);
    ok("cosigner", "sign", bundle.toString(), "--evidence", evidence.toString(), "--dir",
        dir.resolve(cosigner).toString());
    ok("bundle", "countersign", bundle + ".cosigned", "--token", operator.toString(),
        "--cosigner-key", dir.resolve(cosigner + "/cosigner.vkey").toString());
  }

  /** A client command trusting {@code fleet}'s bundle under its cosigner and the operator. */
  static CliRun client(String fleet, String cosigner, String cmd, String user, String pw,
      Path state, String... more) throws Exception {
    Path token = Files.writeString(dir.resolve(user + ".token"), ok("tenant", "token", "--key",
        dir.resolve("tenant/tenant-private.jwk").toString(), "--user", user, "--ttl", "10m",
        "--audience", "cbt").out().strip());
    List<String> args = new ArrayList<>(List.of("client", cmd, "--user", user,
        "--password-file", Files.writeString(dir.resolve(user + ".pw"), pw).toString(),
        "--tenant-token", "file:" + token,
        "--endpoints", endpoint, "--ca", dir.resolve("tls/ca.pem").toString(),
        "--ksf", "identity",
        "--bundle", dir.resolve(fleet + "/bundle-1.txt.cosigned").toString(),
        "--cosigner-key", dir.resolve(cosigner + "/cosigner.vkey").toString(),
        "--state", state.toString(), "--log", dir.resolve(cosigner + "/log").toString()));
    args.addAll(Arrays.asList(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  static CliRun client(String cmd, String user, String pw, Path state, String... more)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("--operator-key", operatorKey));
    args.addAll(Arrays.asList(more));
    return client("cbt", "cos", cmd, user, pw, state, args.toArray(String[]::new));
  }

  static void assertOneLine(CliRun r, int code, String part) {
    assertEquals(code, r.exitCode(), r.toString());
    assertTrue(r.err().startsWith("bkv: ") && r.err().contains(part), r.toString());
    assertEquals(1, r.err().strip().lines().count(), r.toString());
  }

  @Test
  void registersAndRecoversTrustingOnlyTheCosignerAndTheOperator() throws Exception {
    Path state = dir.resolve("ana-state.json");
    CliRun reg = client("register", "ana", "tr0ub4dor", state, "--json");
    assertEquals(0, reg.exitCode(), reg.toString());
    String key = new ObjectMapper().readTree(reg.out()).get("backupKey").asText();
    assertEquals(1, ClientState.read(state).epoch(), "the accepted bundle is remembered");
    CliRun rec = client("recover", "ana", "tr0ub4dor", state);
    assertEquals(0, rec.exitCode(), rec.toString());
    assertEquals(key, rec.out().trim());
  }

  @Test
  void aBundleForAnotherFleetIsRefusedAtTheFirstServerMessage() throws Exception {
    Path state = dir.resolve("rival-state.json");
    List<String> op = List.of("--operator-key", operatorKey, "--json");
    CliRun r = client("rival", "cos-rival", "register", "bo", "pw", state,
        op.toArray(String[]::new));
    assertEquals(ExitCodes.CHECK_FAILED, r.exitCode(), r.toString());
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertEquals("untrusted-fleet", j.get("result").asText(), r.out());
    assertTrue(j.get("message").asText().contains("the member cannot read requests for the "
        + "fleet key this client trusts"), r.out());
    assertEquals(1, ClientState.read(state).epoch(), "the rival bundle itself was valid");
  }

  @Test
  void refusedBundlesAreOneLineWithTheirExitCodeAndKeepTheState() throws Exception {
    Path state = dir.resolve("cy-state.json");
    assertEquals(0, client("register", "cy", "pw-cy", state).exitCode());
    byte[] before = Files.readAllBytes(state);

    CliRun expired = client("recover", "cy", "pw-cy", state, "--now", "2099-01-01T00:00:00Z",
        "--json");
    assertOneLine(expired, ExitCodes.CHECK_FAILED, "EXPIRED: bundle of epoch 1 expired at");
    JsonNode j = new ObjectMapper().readTree(expired.out());
    assertEquals("untrusted-bundle", j.get("result").asText());
    assertEquals("EXPIRED", j.get("reason").asText());

    String cosignerVkey = Files.readString(dir.resolve("cos/cosigner.vkey")).strip();
    assertOneLine(client("cbt", "cos", "recover", "cy", "pw-cy", state, "--operator-key",
        cosignerVkey), ExitCodes.AUTHENTICATION, "UNKNOWN_KEY: countersignature is by");

    Path cosigned = dir.resolve("cbt/bundle-1.txt.cosigned");
    String original = Files.readString(cosigned);
    JsonNode file = new ObjectMapper().readTree(original);
    String note = file.get("note").asText();
    String rivalAke = Files.readString(dir.resolve("rival/bundle-1.txt")).lines()
        .filter(l -> l.startsWith("ake ")).findFirst().orElseThrow();
    String swapped = note.replaceFirst("\nake [0-9a-f]+\n", "\n" + rivalAke + "\n");
    assertFalse(swapped.equals(note));
    ((com.fasterxml.jackson.databind.node.ObjectNode) file).put("note", swapped);
    try {
      Files.writeString(cosigned, file.toString());
      assertOneLine(client("recover", "cy", "pw-cy", state), ExitCodes.AUTHENTICATION,
          "BAD_COSIGNER_SIGNATURE: cosigner signature on the bundle does not verify");
    } finally {
      Files.writeString(cosigned, original);
    }

    Path rolledBack = dir.resolve("seen-epoch-2.json");
    Files.writeString(rolledBack, new String(before).replace("\"epoch\" : 1", "\"epoch\" : 2"));
    byte[] seen = Files.readAllBytes(rolledBack);
    assertOneLine(client("recover", "cy", "pw-cy", rolledBack), ExitCodes.CHECK_FAILED,
        "ROLLBACK: bundle epoch 1 is below epoch 2");
    assertArrayEquals(seen, Files.readAllBytes(rolledBack));
    assertArrayEquals(before, Files.readAllBytes(state), "refusals change no state");
    assertEquals(0, client("recover", "cy", "pw-cy", state).exitCode(),
        "the kept state still accepts the real bundle");
  }

  @Test
  void pinnedAndBundleModeAreExclusiveAndBundleModeNeedsItsState() throws Exception {
    Path state = dir.resolve("dd-state.json");
    CliRun both = client("recover", "dd", "pw", state, "--fleet-key", "02" + "00".repeat(32));
    assertOneLine(both, ExitCodes.USAGE, "--fleet-key (pinned mode) and --bundle (bundle mode)"
        + " exclude each other");
    CliRun noState = CliRun.of("client", "recover", "--user", "dd", "--endpoints", endpoint,
        "--plaintext", "--bundle", dir.resolve("cbt/bundle-1.txt.cosigned").toString(),
        "--cosigner-key", dir.resolve("cos/cosigner.vkey").toString(), "--operator-key",
        operatorKey, "--tenant-token", "env:BKV_UNUSED");
    assertEquals(ExitCodes.USAGE, noState.exitCode(), noState.toString());
    assertTrue(noState.err().contains("--state"), noState.toString());
    CliRun neither = CliRun.of("client", "recover", "--user", "dd", "--endpoints", endpoint,
        "--plaintext", "--tenant-token", "env:BKV_UNUSED");
    assertOneLine(neither, ExitCodes.USAGE, "say how to trust the fleet: --fleet-key HEX"
        + " (pinned mode), or --bundle FILE with --cosigner-key, --operator-key and --state");
  }

  private static int freePort() throws Exception {
    return CliFixture.freePort();
  }
}
