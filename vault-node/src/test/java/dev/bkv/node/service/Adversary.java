package dev.bkv.node.service;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.bkv.client.VaultClient;
import dev.bkv.client.VaultClientException;
import dev.bkv.node.raft.ConfigException;
import dev.bkv.node.raft.ReplicatedStore;
import dev.bkv.node.service.AdversaryFaults.Fault;
import dev.bkv.node.service.AdversaryUsers.User;
import dev.bkv.node.testing.TestNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A seeded, randomized adversarial run against a real fleet (DESIGN §6's promise: the guess
 * limit holds and nothing acknowledged is lost, whatever fails).
 *
 * <p>Each round runs concurrent wrong guesses against "attacker" targets, wrong and correct
 * logins of "honest" users, one new registration and one login split by hand (KE1, KE2, then a
 * pause, then KE3) and, every other round, the compromised member m1 ({@link AdversaryInsider})
 * attacks a user directly over the member channel, while one fault strikes: SIGKILL, SIGTERM,
 * SIGSTOP or a network partition,
 * of a random member or the Raft leader, at a random moment or exactly between the split
 * login's KE2 and KE3. Members are started with a delay between committing an attempt and
 * evaluating it, so that crashes land in that window too. Then the fleet is healed and, once
 * every replica has applied the same log, the invariants are checked from the members' own
 * evaluation logs and their replicated state:
 *
 * <ul>
 *   <li>per user, OPRF evaluations between two successes ≤ limit, and no committed attempt
 *       evaluated twice; evaluations since the last success ≤ the replicated attempt counter;
 *   <li>every acknowledged registration recovers with its password (or is locked only after
 *       the replicated record shows its attempts spent);
 *   <li>every replica holds byte-identical state for every user.
 * </ul>
 *
 * Any breach is collected, with the seed and round, in {@link AdversaryReport#violations}.
 * This class draws and runs the rounds; the parts are {@link AdversaryUsers} (who),
 * {@link AdversaryWorkload} (what the clients do), {@link AdversaryFaults} (what fails),
 * {@link AdversaryChecks} (the invariants) and {@link AdversaryReport} (what is told).
 */
final class Adversary {
  static final int LIMIT = 10;
  static final long DELAY_AFTER_ATTEMPT_MS = 150;

  private final VaultFleet fleet;
  private final long seed;
  private final AdversaryReport report;
  private final ReplicatedStore store;
  private final AdversaryUsers users;
  private final AdversaryFaults faults;
  private final AdversaryWorkload workload;
  private final AdversaryChecks checks;
  private final AdversaryInsider insider;

  private Adversary(VaultFleet fleet, long seed) throws ConfigException {
    this.fleet = fleet;
    this.seed = seed;
    this.report = new AdversaryReport(seed, fleet.ids().size(), fleet.network() == null
        ? "not run (loopback fleet)" : "Linux network namespaces, links cut by iproute2");
    this.store = new ReplicatedStore(fleet.raftClientConfig());
    this.users = new AdversaryUsers(seed, report);
    this.faults = new AdversaryFaults(fleet, store, report);
    this.workload = new AdversaryWorkload(fleet, store, report, users);
    this.checks = new AdversaryChecks(fleet, store, report, users, faults);
    // The store holds m1's Raft credential: m1's host is the compromised one.
    this.insider = new AdversaryInsider(store, fleet.ids(), report);
  }

  /**
   * Options for a fleet fit for this run: its members (run by {@link TestMember}) wait
   * {@value #DELAY_AFTER_ATTEMPT_MS} ms between committing an attempt and evaluating it.
   */
  static VaultFleet.Options fleetOptions(int members, boolean network) {
    return new VaultFleet.Options(members, network,
        List.of("-Dbkv.test.delay-after-attempt-ms=" + DELAY_AFTER_ATTEMPT_MS), 500);
  }

  /** Runs {@code rounds} rounds on a started fleet and returns what happened. */
  static AdversaryReport run(VaultFleet fleet, long seed, int rounds, Path progress)
      throws Exception {
    Adversary a = new Adversary(fleet, seed);
    long t0 = System.nanoTime();
    try {
      try (VaultClient c = fleet.client(fleet.ids())) {
        a.users.setUp(c);
      }
      for (int r = 1; r <= rounds && a.report.violations.isEmpty(); r++) {
        a.round(r);
        a.report.rounds = r;
        if (r % 25 == 0 && progress != null) {
          // A long run may be cut short: keep what it has shown so far.
          a.report.millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
          Files.writeString(progress, "(in progress: " + r + " of " + rounds
              + " rounds, totals so far)\n" + a.report.render());
        }
      }
      a.checks.atEnd();
    } finally {
      a.report.millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      a.store.close();
    }
    return a.report;
  }

  private void round(int r) throws Exception {
    Random rnd = new Random(seed * 1_000_003L + r);
    List<String> ids = fleet.ids();
    Fault fault = faults.draw(rnd);
    // Whom it strikes: the member serving the split login right after its KE2, the Raft
    // leader, the member the clients talk to first (likely mid-login), or any member.
    int target = fault == Fault.NONE ? 0 : rnd.nextInt(5);
    // Early strikes land while the first logins wait between commit and evaluation.
    int delayMs = rnd.nextBoolean() ? rnd.nextInt(250) : rnd.nextInt(1000);
    int holdMs = 300 + rnd.nextInt(2200);
    String splitMember = ids.get(rnd.nextInt(ids.size()));
    List<String> endpoints = new ArrayList<>(ids);
    Collections.shuffle(endpoints, rnd);
    String victim = switch (target) {
      case 0, 4 -> splitMember;
      case 1 -> store.leaderOf(0).orElse(ids.get(0));
      case 2 -> endpoints.get(0);
      default -> ids.get(rnd.nextInt(ids.size()));
    };
    boolean betweenKe2AndKe3 = fault != Fault.NONE && target == 0;
    boolean afterKe1 = fault != Fault.NONE && target == 4;
    Set<String> side = AdversaryFaults.partitionSide(rnd, victim, ids);
    String label = fault + (fault == Fault.NONE ? "" : List.of(" between KE2 and KE3",
        " of the leader", " of the serving member", " of any member",
        " between KE1's commit and its evaluation").get(target));
    report.count(report.faults, label);
    System.out.println("round " + r + ": " + label + " on " + victim
        + (fault == Fault.PARTITION ? " side " + side : "") + " after " + delayMs + " ms, held "
        + holdMs + " ms");
    Runnable strike = () -> faults.strike(fault, victim, side, holdMs, label);

    ExecutorService pool = Executors.newFixedThreadPool(12);
    List<Future<?>> tasks = new ArrayList<>();
    User newcomer = users.newUser("honest");
    try (VaultClient client = fleet.client(endpoints, Duration.ofSeconds(4))) {
      int wrong = 2 + rnd.nextInt(5);
      for (int i = 0; i < wrong; i++) {
        User t = users.attacker;
        tasks.add(pool.submit(() -> workload.guess(client, t, false, "attacker wrong guess")));
      }
      for (User u : users.honest) {
        if (rnd.nextInt(3) == 0) {
          tasks.add(pool.submit(() -> workload.guess(client, u, false, "honest wrong guess")));
        }
        if (rnd.nextBoolean()) {
          tasks.add(pool.submit(() -> workload.guess(client, u, true, "honest login")));
        }
      }
      tasks.add(pool.submit(() -> register(client, newcomer)));
      if (rnd.nextBoolean()) {
        User insiderTarget;
        synchronized (users.honest) {
          insiderTarget = rnd.nextInt(4) != 0 ? users.attacker
              : users.honest.get(rnd.nextInt(users.honest.size()));
        }
        long insiderSeed = rnd.nextLong();
        tasks.add(pool.submit(() -> insider.act(new Random(insiderSeed), insiderTarget.name())));
      }
      User splitter = users.splitter;
      int usedBefore = workload.attemptsUsed(splitter);
      Runnable afterCommit = () -> {
        workload.awaitAttempt(splitter, usedBefore);
        strike.run();
      };
      tasks.add(pool.submit(() -> {
        String o = workload.splitLogin(fleet.endpoint(splitMember), splitter,
            afterKe1 ? afterCommit : () -> { }, betweenKe2AndKe3 ? strike : () -> { });
        report.count(report.outcomes, "split login: " + o);
        return null;
      }));
      if (fault != Fault.NONE && !betweenKe2AndKe3 && !afterKe1) {
        Thread.sleep(delayMs); // the moment the fault strikes, drawn from the seed
        strike.run();
      }
      for (Future<?> f : tasks) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    faults.heal();
    checks.afterRound(r);
  }

  /** The round's new registration; an unanswered one may still have been stored. */
  private Object register(VaultClient client, User newcomer) {
    try {
      client.register(newcomer.id(), newcomer.password().getBytes(UTF_8), newcomer.key());
      synchronized (users.honest) {
        users.honest.add(newcomer);
        report.registrationsAcknowledged++;
      }
      report.count(report.outcomes, "registration: acknowledged");
    } catch (VaultClientException e) {
      synchronized (users.honest) {
        users.unacknowledged.put(newcomer.name(), newcomer);
      }
      report.count(report.outcomes, "registration: " + e.getClass().getSimpleName());
    }
    return null;
  }

  /** For callers that only want to know whether partitions can run here. */
  static String networkUnavailableReason() {
    return TestNetwork.unavailableReason();
  }
}
