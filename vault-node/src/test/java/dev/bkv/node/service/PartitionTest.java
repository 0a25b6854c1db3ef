package dev.bkv.node.service;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bkv.client.UnavailableException;
import dev.bkv.client.VaultClient;
import dev.bkv.client.WrongPasswordException;
import dev.bkv.node.raft.ReplicatedStore;
import dev.bkv.node.testing.Polling;
import dev.bkv.node.testing.TestNetwork;
import dev.bkv.recovery.SecretBytes;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A real network partition (members in network namespaces, the link to the Raft leader cut
 * both ways, packets dropped silently): the isolated leader commits nothing, so a guess sent
 * to it costs no HSM evaluation and is answered UNAVAILABLE; the majority elects a new leader
 * and serves guesses and recoveries; after healing, the old leader catches up and every replica
 * holds the same state. Three times over, each time isolating whoever leads.
 */
class PartitionTest {
  @Test
  void anIsolatedLeaderCommitsNothingAndCatchesUpAfterHealing() throws Exception {
    String why = TestNetwork.unavailableReason();
    if ("root".equals(System.getProperty("user.name"))) {
      assertNull(why, "running as root, so network namespaces must work");
    }
    assumeTrue(why == null, "network namespaces need root: " + why);
    SecureRandom rng = new SecureRandom();
    byte[] k = new byte[32];
    rng.nextBytes(k);
    SecretBytes key = SecretBytes.copyOf(k);
    try (VaultFleet fleet = new VaultFleet("partition",
        new VaultFleet.Options(3, true, List.of(), 500))) {
      fleet.startAll();
      try (ReplicatedStore raft = new ReplicatedStore(fleet.raftClientConfig())) {
        for (int round = 1; round <= 3; round++) {
          // A user per round: the isolated member's own Raft client may still commit its
          // attempt after healing (counted, then evaluated), which must not blur later rounds.
          byte[] user = ("partitioned-" + round).getBytes(UTF_8);
          String userHex = HexFormat.of().formatHex(user);
          try (VaultClient all = fleet.client(fleet.ids())) {
            all.register(user, "pw".getBytes(UTF_8), key);
          }
          String leader = Polling.value(Duration.ofSeconds(30), "a leader",
              () -> raft.leaderOf(0).orElse(null));
          List<String> others = new ArrayList<>(fleet.ids());
          others.remove(leader);
          fleet.network().partition(Set.of(leader));

          long before = fleet.evaluationLines(leader).stream()
              .filter(l -> l.startsWith("login " + userHex + " ")).count();
          try (VaultClient minority = fleet.client(List.of(leader), Duration.ofSeconds(4))) {
            assertThrows(UnavailableException.class,
                () -> minority.recover(user, "guess".getBytes(UTF_8)),
                "the isolated leader cannot commit the attempt");
          }
          long after = fleet.evaluationLines(leader).stream()
              .filter(l -> l.startsWith("login " + userHex + " ")).count();
          assertEquals(before, after, "no HSM evaluation without a committed attempt");

          try (VaultClient majority = fleet.client(others, Duration.ofSeconds(20))) {
            assertEquals(9, assertThrows(WrongPasswordException.class,
                () -> majority.recover(user, "guess".getBytes(UTF_8))).attemptsLeft(),
                "the majority counts the guess (the minority's did not count)");
            assertTrue(key.equalsConstantTime(majority.recover(user, "pw".getBytes(UTF_8))));
          }

          long healed = System.nanoTime();
          fleet.network().healAll();
          Replicas.awaitAgreement(raft, fleet.ids(), user, Duration.ofSeconds(30));
          System.out.printf("round %d: isolated leader %s caught up %d ms after healing%n",
              round, leader, (System.nanoTime() - healed) / 1_000_000);
        }
      }
      assertTrue(fleet.checkTokens() >= 4 * fleet.ids().size());
    }
  }

  /**
   * The adversarial run's finding, pinned: a Raft leader frozen by SIGSTOP while the others
   * elect a successor and keep committing must be replicated to again once it resumes (over
   * Ratis 3.2's Netty transport its successor's appends kept timing out after a pause like
   * this). Needs no namespaces. Three times, each time freezing whoever leads.
   */
  @Test
  void aPausedLeaderIsReplicatedToAgainAfterItResumes() throws Exception {
    SecureRandom rng = new SecureRandom();
    byte[] k = new byte[32];
    rng.nextBytes(k);
    SecretBytes key = SecretBytes.copyOf(k);
    try (VaultFleet fleet = new VaultFleet("pause", VaultFleet.Options.loopback(3))) {
      fleet.startAll();
      try (ReplicatedStore raft = new ReplicatedStore(fleet.raftClientConfig())) {
        for (int round = 1; round <= 3; round++) {
          byte[] user = ("paused-" + round).getBytes(UTF_8);
          try (VaultClient all = fleet.client(fleet.ids())) {
            all.register(user, "pw".getBytes(UTF_8), key);
          }
          String leader = Polling.value(Duration.ofSeconds(30), "a leader",
              () -> raft.leaderOf(0).orElse(null));
          List<String> others = new ArrayList<>(fleet.ids());
          others.remove(leader);
          fleet.processes().pause(leader);
          try (VaultClient majority = fleet.client(others, Duration.ofSeconds(20))) {
            for (int i = 0; i < 3; i++) {
              assertThrows(WrongPasswordException.class,
                  () -> majority.recover(user, "guess".getBytes(UTF_8)));
            }
            assertTrue(key.equalsConstantTime(majority.recover(user, "pw".getBytes(UTF_8))));
          }
          Thread.sleep(1300);
          long resumed = System.nanoTime();
          fleet.processes().resume(leader);
          Replicas.awaitAgreement(raft, fleet.ids(), user, Duration.ofSeconds(30));
          System.out.printf("round %d: paused leader %s caught up %d ms after resuming%n",
              round, leader, (System.nanoTime() - resumed) / 1_000_000);
        }
      }
    }
  }
}
