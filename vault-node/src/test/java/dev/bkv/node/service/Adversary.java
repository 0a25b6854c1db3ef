package dev.bkv.node.service;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.ByteString;
import dev.bkv.client.ChannelCalls;
import dev.bkv.client.Endpoint;
import dev.bkv.client.LockedException;
import dev.bkv.client.RejectedException;
import dev.bkv.client.UnavailableException;
import dev.bkv.client.VaultClient;
import dev.bkv.client.VaultClientException;
import dev.bkv.client.WrongPasswordException;
import dev.bkv.node.api.RecoverFinishRequest;
import dev.bkv.node.api.RecoverStartRequest;
import dev.bkv.node.api.RecoverStartResponse;
import dev.bkv.node.api.Tls;

import dev.bkv.node.raft.ReplicatedStore;
import dev.bkv.node.raft.ReplicationException;
import dev.bkv.node.store.AuditEntry;
import dev.bkv.node.store.UserId;
import dev.bkv.node.store.UserState;
import dev.bkv.node.testing.TestNetwork;
import dev.bkv.opaque.ClientLogin;
import dev.bkv.opaque.Identities;
import dev.bkv.opaque.Ke2;
import dev.bkv.recovery.AuthenticationFailedException;
import dev.bkv.recovery.SecretBytes;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
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
 * pause, then KE3), while one fault strikes: SIGKILL, SIGTERM, SIGSTOP or a network partition,
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
 * Any breach is collected, with the seed and round, in {@link Report#violations}.
 */
final class Adversary {
  static final int LIMIT = 10;
  static final long DELAY_AFTER_ATTEMPT_MS = 150;

  /** What one run did and found. */
  static final class Report {
    final long seed;
    final int members;
    final String network;
    int rounds;
    final Map<String, Integer> faults = new TreeMap<>();
    final Map<String, Integer> outcomes = new TreeMap<>();
    final List<String> violations = new ArrayList<>();
    final Map<String, String> perUser = new TreeMap<>();
    int registrationsAcknowledged;
    int registrationsUnacknowledgedButStored;
    int attackersLocked;
    int honestLockedByFailedLogins;
    long committedNotEvaluated;
    int windowsMeasured;
    int windowsUnmeasured;
    long evaluations;
    int maxWindow;
    long millis;
    int secretsScanned;
    long logBytesScanned;
    int tokenKeysChecked;

    Report(long seed, int members, String network) {
      this.seed = seed;
      this.members = members;
      this.network = network;
    }

    void count(Map<String, Integer> m, String k) {
      synchronized (m) {
        m.merge(k, 1, Integer::sum);
      }
    }

    String render() {
      StringBuilder b = new StringBuilder();
      b.append("bkv adversarial run\n");
      b.append("seed ").append(seed).append(", members ").append(members).append(", rounds ")
          .append(rounds).append(", ").append(millis / 1000).append(" s\n");
      b.append("partitions: ").append(network).append('\n');
      b.append("attempt limit ").append(LIMIT).append("; members delay ")
          .append(DELAY_AFTER_ATTEMPT_MS).append(" ms between committing an attempt and "
              + "evaluating it\n");
      b.append("faults injected:\n");
      faults.forEach((k, v) -> b.append(String.format("  %-40s %6d%n", k, v)));
      b.append("client outcomes under faults:\n");
      outcomes.forEach((k, v) -> b.append(String.format("  %-40s %6d%n", k, v)));
      b.append("registrations acknowledged: ").append(registrationsAcknowledged)
          .append("; unacknowledged but stored: ").append(registrationsUnacknowledgedButStored)
          .append('\n');
      b.append("attacker targets locked: ").append(attackersLocked)
          .append("; honest users locked after failed logins: ")
          .append(honestLockedByFailedLogins).append('\n');
      b.append("HSM login evaluations: ").append(evaluations)
          .append("; most evaluations between two successes for any user: ").append(maxWindow)
          .append(" (limit ").append(LIMIT).append(")\n");
      b.append("attempts committed but never evaluated (fault between commit and HSM): ")
          .append(committedNotEvaluated).append(" (over ").append(windowsMeasured)
          .append(" closed windows measured; ").append(windowsUnmeasured)
          .append(" not measurable)\n");
      b.append("per user (evaluations total / most in one window / limit / fate):\n");
      perUser.forEach((k, v) -> b.append("  ").append(k).append(": ").append(v).append('\n'));
      b.append("member logs scanned for the passwords and backup keys of ").append(secretsScanned)
          .append(" users: ").append(logBytesScanned).append(" bytes\n");
      b.append("token keys checked non-extractable and sensitive after the run: ")
          .append(tokenKeysChecked).append('\n');
      b.append("violations: ").append(violations.size()).append('\n');
      violations.forEach(v -> b.append("  ").append(v).append('\n'));
      return b.toString();
    }
  }

  private enum Fault { NONE, KILL, STOP, PAUSE, PARTITION }

  private record User(String name, String password, SecretBytes key) {}

  private final VaultFleet fleet;
  private final Report report;
  private final long seed;
  private final ReplicatedStore store;
  private final SecureRandom keys = new SecureRandom();
  private final List<User> honest = new ArrayList<>();
  private final Map<String, User> unacknowledged = new LinkedHashMap<>();
  private User attacker;
  /** Logs in only through the split login, so its attempt counter moves only with it. */
  private User splitter;
  /** Per user: the last log index measured, and the time of the last success counted. */
  private final Map<String, Long> lastMeasured = new ConcurrentHashMap<>();
  private final Map<String, Long> lastSuccessSeen = new ConcurrentHashMap<>();
  private int userSerial;
  private final List<User> everyone = new ArrayList<>();

  private Adversary(VaultFleet fleet, long seed) throws dev.bkv.node.raft.ConfigException {
    this.fleet = fleet;
    this.seed = seed;
    this.report = new Report(seed, fleet.ids().size(), fleet.network() == null
        ? "not run (loopback fleet)" : "Linux network namespaces, links cut by iproute2");
    this.store = new ReplicatedStore(fleet.raftClientConfig());
  }

  /** Options for a fleet fit for this run. */
  static VaultFleet.Options fleetOptions(int members, boolean network) {
    return new VaultFleet.Options(members, network,
        List.of("-Dbkv.test.delay-after-attempt-ms=" + DELAY_AFTER_ATTEMPT_MS), 500);
  }

  /** Runs {@code rounds} rounds on a started fleet and returns what happened. */
  static Report run(VaultFleet fleet, long seed, int rounds, Path progress) throws Exception {
    Adversary a = new Adversary(fleet, seed);
    long t0 = System.nanoTime();
    try {
      a.setUp();
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
      a.finalCheck();
    } finally {
      a.report.millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      a.store.close();
    }
    return a.report;
  }

  private void setUp() throws Exception {
    try (VaultClient c = fleet.client(fleet.ids())) {
      for (int i = 0; i < 3; i++) {
        honest.add(register(c, "honest"));
      }
      attacker = register(c, "target");
      splitter = register(c, "split");
    }
  }

  private User register(VaultClient c, String kind) throws VaultClientException {
    User u = newUser(kind);
    c.register(u.name().getBytes(UTF_8), u.password().getBytes(UTF_8), u.key());
    report.registrationsAcknowledged++;
    return u;
  }

  private synchronized User newUser(String kind) {
    byte[] k = new byte[32];
    keys.nextBytes(k);
    String name = kind + "-" + seed + "-" + (++userSerial);
    // The password must not be guessable from the user name: the log scan looks for it.
    User u = new User(name, "pw-" + HexFormat.of().formatHex(keys.generateSeed(12)),
        SecretBytes.copyOf(k));
    everyone.add(u);
    return u;
  }

  private void round(int r) throws Exception {
    Random rnd = new Random(seed * 1_000_003L + r);
    List<String> ids = fleet.ids();
    Fault drawn = rnd.nextInt(10) == 0 ? Fault.NONE
        : Fault.values()[1 + rnd.nextInt(Fault.values().length - 1)];
    Fault fault = drawn == Fault.PARTITION && fleet.network() == null ? Fault.PAUSE : drawn;
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
    Set<String> side = partitionSide(rnd, victim, ids);
    String label = fault + (fault == Fault.NONE ? "" : List.of(" between KE2 and KE3",
        " of the leader", " of the serving member", " of any member",
        " between KE1's commit and its evaluation").get(target));
    report.count(report.faults, label);
    System.out.println("round " + r + ": " + label + " on " + victim
        + (fault == Fault.PARTITION ? " side " + side : "") + " after " + delayMs + " ms, held "
        + holdMs + " ms");
    Runnable strike = () -> strike(fault, victim, side, holdMs, label);

    ExecutorService pool = Executors.newFixedThreadPool(12);
    List<Future<?>> tasks = new ArrayList<>();
    User newcomer = newUser("honest");
    try (VaultClient client = fleet.client(endpoints, Duration.ofSeconds(4))) {
      int wrong = 2 + rnd.nextInt(5);
      for (int i = 0; i < wrong; i++) {
        User t = attacker;
        tasks.add(pool.submit(() -> guess(client, t, false, "attacker wrong guess")));
      }
      for (User u : honest) {
        if (rnd.nextInt(3) == 0) {
          tasks.add(pool.submit(() -> guess(client, u, false, "honest wrong guess")));
        }
        if (rnd.nextBoolean()) {
          tasks.add(pool.submit(() -> guess(client, u, true, "honest login")));
        }
      }
      tasks.add(pool.submit(() -> {
        try {
          client.register(newcomer.name().getBytes(UTF_8), newcomer.password().getBytes(UTF_8),
              newcomer.key());
          synchronized (honest) {
            honest.add(newcomer);
            report.registrationsAcknowledged++;
          }
          report.count(report.outcomes, "registration: acknowledged");
        } catch (VaultClientException e) {
          synchronized (honest) {
            unacknowledged.put(newcomer.name(), newcomer);
          }
          report.count(report.outcomes, "registration: " + e.getClass().getSimpleName());
        }
        return null;
      }));
      int usedBefore = attemptsUsed(splitter);
      Runnable afterCommit = () -> {
        awaitAttempt(splitter, usedBefore);
        strike.run();
      };
      tasks.add(pool.submit(() -> {
        String o = splitLogin(fleet.endpoint(splitMember), splitter,
            afterKe1 ? afterCommit : () -> { }, betweenKe2AndKe3 ? strike : () -> { });
        report.count(report.outcomes, "split login: " + o);
        return null;
      }));
      if (fault != Fault.NONE && !betweenKe2AndKe3 && !afterKe1) {
        Thread.sleep(delayMs);
        strike.run();
      }
      for (Future<?> f : tasks) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    heal();
    check(r);
  }

  /** The side of a partition that holds {@code victim}: alone, or (5 members) with one more. */
  private static Set<String> partitionSide(Random rnd, String victim, List<String> ids) {
    Set<String> side = new HashSet<>(Set.of(victim));
    if (ids.size() >= 5 && rnd.nextBoolean()) {
      List<String> others = new ArrayList<>(ids);
      others.remove(victim);
      side.add(others.get(rnd.nextInt(others.size())));
    }
    return side;
  }

  /** Inflicts the fault; pauses and partitions are lifted after {@code holdMs}. */
  private void strike(Fault fault, String victim, Set<String> side, int holdMs, String label) {
    try {
      switch (fault) {
        case KILL -> {
          fleet.kill(victim);
        }
        case STOP -> {
          fleet.stop(victim);
        }
        case PAUSE -> {
          fleet.processes().pause(victim);
          Thread.sleep(holdMs);
          fleet.processes().resume(victim);
        }
        case PARTITION -> {
          fleet.network().partition(side);
          Thread.sleep(holdMs);
          fleet.network().healAll();
        }
        case NONE -> { }
        default -> throw new IllegalStateException(fault.toString());
      }
    } catch (Exception e) {
      synchronized (report.violations) {
        report.violations.add("harness could not inflict " + label + " on " + victim + ": " + e);
      }
    }
  }

  private Object guess(VaultClient client, User u, boolean correct, String what) {
    byte[] pw = (correct ? u.password() : "wrong-" + keys.nextInt()).getBytes(UTF_8);
    String o;
    try {
      SecretBytes k = client.recover(u.name().getBytes(UTF_8), pw);
      if (!correct) {
        violation("a wrong password recovered " + u.name());
      } else if (!k.equalsConstantTime(u.key())) {
        violation("recovery of " + u.name() + " returned another key");
      }
      o = "recovered";
    } catch (WrongPasswordException e) {
      if (correct) {
        violation("the right password of " + u.name() + " was answered as wrong");
      }
      o = "wrong password";
    } catch (VaultClientException e) {
      o = e.getClass().getSimpleName();
    }
    report.count(report.outcomes, what + ": " + o);
    return null;
  }

  /**
   * KE1 at one member; {@code afterKe1} runs once KE1 is sent; then KE2, {@code between}, and
   * KE3 at the same member.
   */
  private String splitLogin(Endpoint at, User u, Runnable afterKe1, Runnable between)
      throws Exception {
    ManagedChannel ch = Grpc.newChannelBuilderForAddress(at.host(), at.port(),
        Tls.client(fleet.caPem())).build();
    try {
      ChannelCalls calls = fleet.calls(ch).withDeadline(Duration.ofSeconds(4));
      byte[] user = u.name().getBytes(UTF_8);
      ClientLogin login = ClientLogin.start(VaultFleet.suite(), u.password().getBytes(UTF_8),
          keys);
      RecoverStartResponse start;
      CompletableFuture<RecoverStartResponse> pending = CompletableFuture.supplyAsync(() -> {
        try {
          return calls.recoverStart(user, RecoverStartRequest.newBuilder()
              .setKe1(ByteString.copyFrom(login.ke1().toBytes())).build());
        } catch (VaultClientException e) {
          throw new CompletionException(e);
        }
      });
      afterKe1.run();
      try {
        start = pending.get();
      } catch (java.util.concurrent.ExecutionException e) {
        between.run();
        return "KE1 " + outcome(e.getCause());
      }
      if (start.hasLocked()) {
        between.run();
        return "locked";
      }
      ClientLogin.Result res;
      try {
        res = login.finish(Ke2.parse(start.getKe2().getKe2().toByteArray()), Identities.NONE);
      } catch (AuthenticationFailedException e) {
        violation("the right password of " + u.name() + " failed KE2 at " + at);
        return "KE2 did not verify";
      }
      between.run();
      try {
        calls.recoverFinish(user, RecoverFinishRequest.newBuilder()
            .setSessionId(start.getKe2().getSessionId())
            .setKe3(ByteString.copyFrom(res.ke3().toBytes())).build());
        return "recovered";
      } catch (StatusRuntimeException | VaultClientException e) {
        return "KE3 " + outcome(e);
      } finally {
        res.sessionKey().destroy();
        res.exportKey().destroy();
      }
    } finally {
      ch.shutdownNow();
    }
  }

  /** A failed call's status: the gRPC code, or the code a refusal in the channel carried. */
  private static String outcome(Throwable e) {
    if (e instanceof StatusRuntimeException sre) {
      return sre.getStatus().getCode().toString();
    }
    if (e instanceof RejectedException r) {
      return r.code();
    }
    if (e instanceof UnavailableException) {
      return "UNAVAILABLE";
    }
    return String.valueOf(e);
  }

  /** Lifts every fault and brings every member back. */
  private void heal() throws Exception {
    for (String id : fleet.ids()) {
      if (fleet.processes().isPaused(id)) {
        fleet.processes().resume(id);
      }
    }
    if (fleet.network() != null) {
      fleet.network().healAll();
    }
    for (String id : fleet.ids()) {
      if (!fleet.processes().isRunning(id)) {
        fleet.start(id);
      }
    }
  }

  private void check(int round) throws Exception {
    List<User> users = new ArrayList<>(honest);
    users.add(attacker);
    users.add(splitter);
    users.addAll(unacknowledged.values());
    Map<String, UserState> states = settledStates(round, users);
    Map<String, EvaluationLogs.History> logs = EvaluationLogs.read(
        fleet.ids().stream().map(fleet::evaluationLog).toList());
    for (String v : EvaluationLogs.violations(logs)) {
      violation(v);
    }
    // A lockout comes after at most `limit` evaluations.
    for (User u : users) {
      EvaluationLogs.History h = logs.get(hex(u));
      if (states.get(u.name()) instanceof UserState.Locked && h != null
          && h.openWindow() > LIMIT) {
        violation(u.name() + " got " + h.openWindow() + " evaluations before its lockout");
      }
    }
    for (User u : users) {
      measureClosedWindows(u, states.get(u.name()), logs.get(hex(u)), round);
    }
    // The attacker target: once locked, its last window is closed; count and replace it.
    UserState a = states.get(attacker.name());
    if (a instanceof UserState.Locked l) {
      requireLockoutAfterLimit(attacker, l);
      EvaluationLogs.History h = logs.get(hex(attacker));
      int open = h == null ? 0 : h.openWindow();
      report.committedNotEvaluated += LIMIT - open;
      report.attackersLocked++;
      retire(attacker, "locked", logs);
      try (VaultClient c = fleet.client(fleet.ids())) {
        attacker = register(c, "target");
      }
    } else if (!(a instanceof UserState.Present)) {
      violation("round " + round + ": acknowledged registration of " + attacker.name()
          + " is gone: " + a);
    }
    // Unacknowledged registrations that were stored become honest users.
    for (User u : List.copyOf(unacknowledged.values())) {
      if (states.get(u.name()) instanceof UserState.Present) {
        report.registrationsUnacknowledgedButStored++;
        honest.add(u);
      }
      unacknowledged.remove(u.name());
    }
    // Every honest user recovers with its password on the healed fleet.
    try (VaultClient c = fleet.client(fleet.ids(), Duration.ofSeconds(20))) {
      List<User> all = new ArrayList<>(honest);
      all.add(splitter);
      for (User u : all) {
        UserState s = states.get(u.name());
        if (s instanceof UserState.Locked l) {
          requireLockoutAfterLimit(u, l);
          report.honestLockedByFailedLogins++;
          retire(u, "locked after failed logins", logs);
          if (u == splitter) {
            splitter = register(c, "split");
          } else {
            honest.remove(u);
          }
          continue;
        }
        if (!(s instanceof UserState.Present)) {
          violation("round " + round + ": acknowledged registration of " + u.name()
              + " is gone: " + s);
          continue;
        }
        SecretBytes k = recoverSettled(c, u, round);
        if (k != null) {
          if (!k.equalsConstantTime(u.key())) {
            violation("round " + round + ": " + u.name() + " recovered another key");
          }
        }
      }
    }
    while (honest.size() > 4) {
      retire(honest.remove(0), "recovered, retired", logs);
    }
  }

  /**
   * For each window a success closed since the last check: the replicated audit trail's
   * SUCCESS entry says how many attempts were committed in it, the evaluation logs how many were
   * evaluated. More evaluations than attempts is a violation; fewer means a fault struck between
   * an attempt's commit and its evaluation. If a success is missing from either side (a crash
   * between the reset's commit and its log line), the windows cannot be paired and are skipped.
   */
  private void measureClosedWindows(User u, UserState s, EvaluationLogs.History h, int round) {
    if (h == null || s == null) {
      return;
    }
    long measured = lastMeasured.getOrDefault(u.name(), Long.MIN_VALUE);
    long since = lastSuccessSeen.getOrDefault(u.name(), Long.MIN_VALUE);
    List<AuditEntry> successes = s.audit().stream()
        .filter(e -> e.kind() == AuditEntry.Kind.SUCCESS && e.timeMillis() > since).toList();
    List<EvaluationLogs.Window> all = h.windows().stream()
        .filter(w -> w.firstIndex() > measured).toList();
    List<EvaluationLogs.Window> fresh = new ArrayList<>(all.stream()
        .filter(EvaluationLogs.Window::closed).toList());
    if (fresh.size() + 1 == successes.size() && fresh.size() < all.size()) {
      // The last window's reset is replicated but its success line is not in the logs yet
      // (or never will be: the member died between the commit and the line).
      fresh.add(all.get(all.size() - 1));
    }
    if (fresh.size() == successes.size()) {
      for (int i = 0; i < fresh.size(); i++) {
        int evaluated = fresh.get(i).evaluations();
        int gap = successes.get(i).attemptsUsed() - evaluated;
        if (gap < 0) {
          violation("round " + round + ": " + u.name() + " had " + evaluated
              + " evaluations in a window of " + successes.get(i).attemptsUsed() + " attempts");
        } else {
          report.committedNotEvaluated += gap;
        }
        report.windowsMeasured++;
      }
      if (!fresh.isEmpty()) {
        lastMeasured.put(u.name(), fresh.get(fresh.size() - 1).lastIndex());
      }
    } else {
      report.windowsUnmeasured += Math.max(fresh.size(), successes.size());
      h.events.keySet().stream().mapToLong(Long::longValue).max()
          .ifPresent(i -> lastMeasured.put(u.name(), i));
    }
    successes.stream().mapToLong(AuditEntry::timeMillis).max()
        .ifPresent(t -> lastSuccessSeen.put(u.name(), t));
  }

  /** The split user's attempt counter (-1 if it has no live record). */
  private int attemptsUsed(User u) throws ReplicationException {
    return store.get(new UserId(u.name().getBytes(UTF_8))) instanceof UserState.Present p
        ? p.record().attemptsUsed() : -1;
  }

  /**
   * Waits (up to 2 s) until the split user's attempt counter moved past {@code before}: the
   * attempt is committed, and the member now waits {@value #DELAY_AFTER_ATTEMPT_MS} ms before it
   * evaluates, which is when the fault should strike.
   */
  private void awaitAttempt(User u, int before) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    try {
      while (System.nanoTime() < deadline && attemptsUsed(u) <= before) {
        Thread.sleep(5);
      }
    } catch (ReplicationException e) {
      // No leader to ask: strike anyway.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private SecretBytes recoverSettled(VaultClient c, User u, int round) throws Exception {
    VaultClientException last = null;
    for (int i = 0; i < 3; i++) {
      try {
        return c.recover(u.name().getBytes(UTF_8), u.password().getBytes(UTF_8));
      } catch (UnavailableException e) {
        last = e;
        Thread.sleep(1000);
      } catch (LockedException e) {
        violation("round " + round + ": " + u.name() + " locked although its record was live");
        return null;
      } catch (VaultClientException e) {
        last = e;
        break;
      }
    }
    violation("round " + round + ": " + u.name() + " does not recover on the healed fleet: "
        + last);
    return null;
  }

  private void requireLockoutAfterLimit(User u, UserState.Locked l) {
    List<AuditEntry> audit = l.audit();
    boolean spent = !audit.isEmpty() && audit.get(audit.size() - 1).kind()
        == AuditEntry.Kind.LOCKOUT || audit.stream().anyMatch(e ->
        e.kind() == AuditEntry.Kind.LOCKOUT && e.attemptsUsed() > e.attemptLimit());
    if (!spent) {
      violation(u.name() + " is locked without a lockout after " + LIMIT + " attempts: "
          + audit);
    }
  }

  private void retire(User u, String fate, Map<String, EvaluationLogs.History> logs) {
    EvaluationLogs.History h = logs.get(hex(u));
    report.perUser.put(u.name(), (h == null ? 0 : h.logins) + " / "
        + (h == null ? 0 : h.maxWindow()) + " / " + LIMIT + " / " + fate);
  }

  /** Waits until every replica applied the same index, then reads every user from each. */
  private Map<String, UserState> settledStates(int round, List<User> users) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        long[] before = appliedIndexes();
        if (Arrays.stream(before).distinct().count() == 1) {
          Map<String, UserState> first = new LinkedHashMap<>();
          List<String> differ = new ArrayList<>();
          for (User u : users) {
            UserId id = new UserId(u.name().getBytes(UTF_8));
            byte[] ref = null;
            for (String m : fleet.ids()) {
              UserState s = store.getFrom(m, id);
              byte[] b = s.toBytes();
              if (ref == null) {
                ref = b;
                first.put(u.name(), s);
              } else if (!Arrays.equals(ref, b)) {
                differ.add(u.name() + " on " + m);
              }
            }
          }
          if (Arrays.equals(before, appliedIndexes())) {
            if (!differ.isEmpty()) {
              violation("round " + round + ": replicas at index " + before[0]
                  + " disagree on " + differ);
            }
            return first;
          }
        }
        last = Arrays.toString(before);
      } catch (ReplicationException e) {
        last = e.getMessage();
      }
      Thread.sleep(200);
    }
    String state = diagnostics();
    fleet.processes().dumpThreads();
    Thread.sleep(2000);
    throw new AssertionError("round " + round + ": replicas did not settle in 60 s: " + last
        + "; " + state + " (thread dumps are in the member logs)");
  }

  /** What the harness and the network look like now, for a failure message. */
  private String diagnostics() {
    StringBuilder b = new StringBuilder();
    b.append("running ").append(fleet.processes().runningIds());
    fleet.ids().forEach(id -> {
      if (fleet.processes().isPaused(id)) {
        b.append(", paused ").append(id);
      }
    });
    b.append(", leader ").append(store.leaderOf(0).orElse("none"));
    if (fleet.network() != null) {
      b.append(", cut ").append(fleet.network().cutLinks()).append(", neighbours:");
      for (String a : fleet.ids()) {
        for (String c : fleet.ids()) {
          if (!a.equals(c)) {
            try {
              b.append(' ').append(a).append("->").append(c).append('[')
                  .append(fleet.network().neighbour(a, c)).append(']');
            } catch (java.io.IOException e) {
              b.append(' ').append(e.getMessage());
            }
          }
        }
      }
    }
    return b.toString();
  }

  private long[] appliedIndexes() throws ReplicationException {
    return Replicas.appliedIndexes(store, fleet.ids());
  }

  private void finalCheck() throws Exception {
    Map<String, EvaluationLogs.History> logs = EvaluationLogs.read(
        fleet.ids().stream().map(fleet::evaluationLog).toList());
    // The windows the last round's recoveries closed.
    List<User> live = new ArrayList<>(honest);
    live.add(attacker);
    live.add(splitter);
    Map<String, UserState> states = settledStates(report.rounds + 1, live);
    for (User u : live) {
      measureClosedWindows(u, states.get(u.name()), logs.get(hex(u)), report.rounds + 1);
    }
    for (String v : EvaluationLogs.violations(logs)) {
      violation(v);
    }
    for (EvaluationLogs.History h : logs.values()) {
      report.evaluations += h.logins;
      report.maxWindow = Math.max(report.maxWindow, h.maxWindow());
    }
    for (User u : honest) {
      retire(u, "recovered, live at the end", logs);
    }
    retire(attacker, "live at the end", logs);
    retire(splitter, "live at the end", logs);
    scanLogsForSecrets();
  }

  /** No password or backup key of any user, in any common encoding, in any member's output. */
  private void scanLogsForSecrets() throws java.io.IOException {
    List<Path> files = new ArrayList<>(fleet.processes().logs());
    fleet.ids().forEach(id -> files.add(fleet.evaluationLog(id)));
    StringBuilder all = new StringBuilder();
    for (Path f : files) {
      if (Files.exists(f)) {
        all.append(Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1));
      }
    }
    String text = all.toString();
    String lower = text.toLowerCase(java.util.Locale.ROOT);
    for (User u : everyone) {
      byte[] k = u.key().copy();
      List<String> forms = List.of(u.password(), HexFormat.of().formatHex(k),
          Base64.getEncoder().encodeToString(k), Base64.getUrlEncoder().withoutPadding()
              .encodeToString(k), HexFormat.of().formatHex(u.password().getBytes(UTF_8)));
      java.util.Arrays.fill(k, (byte) 0);
      for (String f : forms) {
        if (text.contains(f) || lower.contains(f.toLowerCase(java.util.Locale.ROOT))
            && f.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
          violation("a secret of " + u.name() + " appears in the member logs");
        }
      }
    }
    report.secretsScanned = everyone.size();
    report.logBytesScanned = text.length();
  }

  private static String hex(User u) {
    return HexFormat.of().formatHex(u.name().getBytes(UTF_8));
  }

  private void violation(String v) {
    synchronized (report.violations) {
      report.violations.add("seed " + seed + ": " + v);
    }
  }

  /** For callers that only want to know whether partitions can run here. */
  static String networkUnavailableReason() {
    return TestNetwork.unavailableReason();
  }

}
