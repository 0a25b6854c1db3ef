package dev.bkv.node.service;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.bkv.client.LockedException;
import dev.bkv.client.UnavailableException;
import dev.bkv.client.VaultClient;
import dev.bkv.client.VaultClientException;
import dev.bkv.node.raft.ReplicatedStore;
import dev.bkv.node.raft.ReplicationException;
import dev.bkv.node.service.AdversaryUsers.User;
import dev.bkv.node.store.AuditEntry;
import dev.bkv.node.store.UserState;
import dev.bkv.node.testing.Polling;
import dev.bkv.recovery.SecretBytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The invariants of an adversarial run, checked on the healed fleet after each round from the
 * members' evaluation logs and their replicated state: the guess limit per window between two
 * successes, no attempt evaluated twice, lockouts only after the limit, every acknowledged
 * registration recovers, every replica byte-identical, and no secret in any member's output.
 * A breach is a violation in the report.
 */
final class AdversaryChecks {
  private static final int LIMIT = Adversary.LIMIT;

  private final VaultFleet fleet;
  private final ReplicatedStore store;
  private final AdversaryReport report;
  private final AdversaryUsers users;
  private final AdversaryFaults faults;
  /** Per user: the last log index measured, and the time of the last success counted. */
  private final Map<String, Long> lastMeasured = new ConcurrentHashMap<>();
  private final Map<String, Long> lastSuccessSeen = new ConcurrentHashMap<>();

  AdversaryChecks(VaultFleet fleet, ReplicatedStore store, AdversaryReport report,
      AdversaryUsers users, AdversaryFaults faults) {
    this.fleet = fleet;
    this.store = store;
    this.report = report;
    this.users = users;
    this.faults = faults;
  }

  /**
   * After round {@code round}: checks every invariant, replaces a locked attacker target or
   * split-login user, and adopts unacknowledged registrations that were stored.
   */
  void afterRound(int round) throws Exception {
    List<User> checked = users.checked();
    Map<String, UserState> states = settledStates(round, checked);
    Map<String, EvaluationLogs.History> logs = evaluationLogs();
    for (String v : EvaluationLogs.violations(logs)) {
      report.violation(v);
    }
    // A lockout comes after at most `limit` evaluations.
    for (User u : checked) {
      EvaluationLogs.History h = logs.get(u.hex());
      if (states.get(u.name()) instanceof UserState.Locked && h != null
          && h.openWindow() > LIMIT) {
        report.violation(u.name() + " got " + h.openWindow() + " evaluations before its lockout");
      }
    }
    for (User u : checked) {
      measureClosedWindows(u, states.get(u.name()), logs.get(u.hex()), round);
    }
    checkAttacker(round, states, logs);
    // Unacknowledged registrations that were stored become honest users.
    for (User u : List.copyOf(users.unacknowledged.values())) {
      if (states.get(u.name()) instanceof UserState.Present) {
        report.registrationsUnacknowledgedButStored++;
        users.honest.add(u);
      }
      users.unacknowledged.remove(u.name());
    }
    checkHonestRecover(round, states, logs);
    while (users.honest.size() > 4) {
      retire(users.honest.remove(0), "recovered, retired", logs);
    }
  }

  /** The attacker target: once locked, its last window is closed; count and replace it. */
  private void checkAttacker(int round, Map<String, UserState> states,
      Map<String, EvaluationLogs.History> logs) throws Exception {
    User attacker = users.attacker;
    UserState a = states.get(attacker.name());
    if (a instanceof UserState.Locked l) {
      requireLockoutAfterLimit(attacker, l);
      EvaluationLogs.History h = logs.get(attacker.hex());
      int open = h == null ? 0 : h.openWindow();
      report.committedNotEvaluated += LIMIT - open;
      report.attackersLocked++;
      retire(attacker, "locked", logs);
      try (VaultClient c = fleet.client(fleet.ids())) {
        users.attacker = users.register(c, "target");
      }
    } else if (!(a instanceof UserState.Present)) {
      report.violation("round " + round + ": acknowledged registration of " + attacker.name()
          + " is gone: " + a);
    }
  }

  /** Every honest user (and the split-login user) recovers with its password. */
  private void checkHonestRecover(int round, Map<String, UserState> states,
      Map<String, EvaluationLogs.History> logs) throws Exception {
    try (VaultClient c = fleet.client(fleet.ids(), Duration.ofSeconds(20))) {
      List<User> all = new ArrayList<>(users.honest);
      all.add(users.splitter);
      for (User u : all) {
        UserState s = states.get(u.name());
        if (s instanceof UserState.Locked l) {
          requireLockoutAfterLimit(u, l);
          report.honestLockedByFailedLogins++;
          retire(u, "locked after failed logins", logs);
          if (u == users.splitter) {
            users.splitter = users.register(c, "split");
          } else {
            users.honest.remove(u);
          }
          continue;
        }
        if (!(s instanceof UserState.Present)) {
          report.violation("round " + round + ": acknowledged registration of " + u.name()
              + " is gone: " + s);
          continue;
        }
        SecretBytes k = recoverSettled(c, u, round);
        if (k != null && !k.equalsConstantTime(u.key())) {
          report.violation("round " + round + ": " + u.name() + " recovered another key");
        }
      }
    }
  }

  /** At the end: the windows the last round closed, the totals, and the log scan. */
  void atEnd() throws Exception {
    Map<String, EvaluationLogs.History> logs = evaluationLogs();
    List<User> live = users.live();
    Map<String, UserState> states = settledStates(report.rounds + 1, live);
    for (User u : live) {
      measureClosedWindows(u, states.get(u.name()), logs.get(u.hex()), report.rounds + 1);
    }
    for (String v : EvaluationLogs.violations(logs)) {
      report.violation(v);
    }
    for (EvaluationLogs.History h : logs.values()) {
      report.evaluations += h.logins;
      report.maxWindow = Math.max(report.maxWindow, h.maxWindow());
    }
    for (User u : users.honest) {
      retire(u, "recovered, live at the end", logs);
    }
    retire(users.attacker, "live at the end", logs);
    retire(users.splitter, "live at the end", logs);
    scanLogsForSecrets();
  }

  private Map<String, EvaluationLogs.History> evaluationLogs() throws IOException {
    return EvaluationLogs.read(fleet.ids().stream().map(fleet::evaluationLog).toList());
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
          report.violation("round " + round + ": " + u.name() + " had " + evaluated
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

  /**
   * Recovers {@code u} on the healed fleet, trying up to three times a second apart while the
   * fleet answers UNAVAILABLE (a member just restarted); anything else ends the tries.
   */
  private SecretBytes recoverSettled(VaultClient c, User u, int round) throws Exception {
    Object[] last = new Object[1];
    try {
      Polling.until(Duration.ofMillis(2500), Duration.ofSeconds(1), "recovery of " + u.name(),
          () -> {
            try {
              last[0] = c.recover(u.id(), u.password().getBytes(UTF_8));
              return true;
            } catch (UnavailableException e) {
              last[0] = e;
              return false;
            } catch (VaultClientException e) {
              last[0] = e;
              return true;
            }
          });
    } catch (AssertionError timedOut) {
      // last[0] holds the last UNAVAILABLE.
    }
    if (last[0] instanceof SecretBytes k) {
      return k;
    }
    if (last[0] instanceof LockedException) {
      report.violation("round " + round + ": " + u.name()
          + " locked although its record was live");
      return null;
    }
    report.violation("round " + round + ": " + u.name() + " does not recover on the healed "
        + "fleet: " + last[0]);
    return null;
  }

  private void requireLockoutAfterLimit(User u, UserState.Locked l) {
    List<AuditEntry> audit = l.audit();
    boolean spent = !audit.isEmpty() && audit.get(audit.size() - 1).kind()
        == AuditEntry.Kind.LOCKOUT || audit.stream().anyMatch(e ->
        e.kind() == AuditEntry.Kind.LOCKOUT && e.attemptsUsed() > e.attemptLimit());
    if (!spent) {
      report.violation(u.name() + " is locked without a lockout after " + LIMIT + " attempts: "
          + audit);
    }
  }

  private void retire(User u, String fate, Map<String, EvaluationLogs.History> logs) {
    EvaluationLogs.History h = logs.get(u.hex());
    report.perUser.put(u.name(), (h == null ? 0 : h.logins) + " / "
        + (h == null ? 0 : h.maxWindow()) + " / " + LIMIT + " / " + fate);
  }

  /** Waits until every replica applied the same index, then reads every user from each. */
  private Map<String, UserState> settledStates(int round, List<User> users) throws Exception {
    String[] last = {""};
    try {
      return Polling.value(Duration.ofSeconds(60), Duration.ofMillis(200),
          "round " + round + ": replicas to settle", () -> {
            try {
              return readWhenSettled(round, users, last);
            } catch (ReplicationException e) {
              last[0] = e.getMessage();
              return null;
            }
          });
    } catch (AssertionError timedOut) {
      String state = faults.diagnostics();
      fleet.processes().dumpThreads();
      Thread.sleep(2000); // let the members write their thread dumps
      throw new AssertionError("round " + round + ": replicas did not settle in 60 s: "
          + last[0] + "; " + state + " (thread dumps are in the member logs)");
    }
  }

  /**
   * Every user's state as the replicas hold it, if they all applied the same index before and
   * after the reads; null (and {@code last[0]} the indexes) if not.
   */
  private Map<String, UserState> readWhenSettled(int round, List<User> users, String[] last)
      throws ReplicationException {
    long[] before = Replicas.appliedIndexes(store, fleet.ids());
    if (Arrays.stream(before).distinct().count() == 1) {
      Map<String, UserState> first = new LinkedHashMap<>();
      List<String> differ = new ArrayList<>();
      for (User u : users) {
        byte[] ref = null;
        for (String m : fleet.ids()) {
          UserState s = store.getFrom(m, u.userId());
          byte[] b = s.toBytes();
          if (ref == null) {
            ref = b;
            first.put(u.name(), s);
          } else if (!Arrays.equals(ref, b)) {
            differ.add(u.name() + " on " + m);
          }
        }
      }
      if (Arrays.equals(before, Replicas.appliedIndexes(store, fleet.ids()))) {
        if (!differ.isEmpty()) {
          report.violation("round " + round + ": replicas at index " + before[0]
              + " disagree on " + differ);
        }
        return first;
      }
    }
    last[0] = Arrays.toString(before);
    return null;
  }

  /** No password or backup key of any user, in any common encoding, in any member's output. */
  private void scanLogsForSecrets() throws IOException {
    List<Path> files = new ArrayList<>(fleet.processes().logs());
    for (String id : fleet.ids()) {
      files.addAll(EvaluationLogChain.files(fleet.evaluationLog(id), List.of(), null));
    }
    StringBuilder all = new StringBuilder();
    for (Path f : files) {
      if (Files.exists(f)) {
        all.append(Files.readString(f, StandardCharsets.ISO_8859_1));
      }
    }
    String text = all.toString();
    String lower = text.toLowerCase(Locale.ROOT);
    for (User u : users.everyone) {
      byte[] k = u.key().copy();
      List<String> forms = List.of(u.password(), HexFormat.of().formatHex(k),
          Base64.getEncoder().encodeToString(k), Base64.getUrlEncoder().withoutPadding()
              .encodeToString(k), HexFormat.of().formatHex(u.password().getBytes(UTF_8)));
      Arrays.fill(k, (byte) 0);
      for (String f : forms) {
        if (text.contains(f) || lower.contains(f.toLowerCase(Locale.ROOT))
            && f.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
          report.violation("a secret of " + u.name() + " appears in the member logs");
        }
      }
    }
    report.secretsScanned = users.everyone.size();
    report.logBytesScanned = text.length();
  }
}
