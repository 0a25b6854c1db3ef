package dev.bkv.node.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The short CI version of the adversarial run ({@link Adversary}) on a 3- and a 5-member fleet.
 * {@code scripts/adversary} runs it for many more rounds: {@code BKV_ADVERSARY_ROUNDS},
 * {@code BKV_ADVERSARY_SEED} and {@code BKV_ADVERSARY_REPORT} override the defaults here.
 * Partitions need network namespaces, so root: as root they must work; otherwise the run
 * injects the other faults and its report says partitions did not run.
 */
class AdversarialFleetTest {
  @Test
  void threeMembers() throws Exception {
    run(3, 8, 20261127L);
  }

  @Test
  void fiveMembers() throws Exception {
    run(5, 4, 5_20261127L);
  }

  private static void run(int members, int defaultRounds, long defaultSeed) throws Exception {
    String why = Adversary.networkUnavailableReason();
    if ("root".equals(System.getProperty("user.name"))) {
      assertNull(why, "running as root, so network namespaces must work for partitions");
    }
    int rounds = Integer.parseInt(env("BKV_ADVERSARY_ROUNDS", Integer.toString(defaultRounds)));
    long seed = Long.parseLong(env("BKV_ADVERSARY_SEED", Long.toString(defaultSeed)));
    Path out = Path.of(env("BKV_ADVERSARY_REPORT", System.getenv("BKV_TEST_WORKDIR")
        + "/adversary-" + members + "-members.txt"));
    AdversaryReport report;
    try (VaultFleet fleet = new VaultFleet("adversary-" + members,
        Adversary.fleetOptions(members, why == null))) {
      fleet.startAll();
      report = Adversary.run(fleet, seed, rounds, out);
      report.tokenKeysChecked = fleet.checkTokens();
    }
    String text = report.render();
    System.out.println(text);
    Files.writeString(out, text);
    assertEquals(0, report.violations.size(), text);
    assertEquals(rounds, report.rounds, text);
    assertTrue(report.evaluations > 0, "the run evaluated logins at all: " + text);
    assertTrue(report.maxWindow <= Adversary.LIMIT, text);
    assertTrue(report.tokenKeysChecked >= 4 * members, "the fleet keys were inventoried: " + text);
  }

  private static String env(String k, String dflt) {
    String v = System.getenv(k);
    return v == null || v.isBlank() ? dflt : v;
  }
}
