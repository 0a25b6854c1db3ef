package dev.bkv.node.service;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the members' evaluation logs ({@link EvaluationCounter}) and checks the guess-limit
 * invariant on them: no committed attempt is evaluated twice, every evaluation spends an attempt
 * numbered 1..limit, and between two resets a user gets at most {@code limit} evaluations.
 * Events are ordered by their Raft log index,
 * which is global within the user's shard, so logs from different members merge into one
 * history.
 */
final class EvaluationLogs {
  /**
   * A run of evaluations with no reset between them: {@code closed} when a success line, or
   * the next evaluation's attempt number not rising (so a reset happened whose success line a
   * crash kept out of the logs), ends it.
   */
  record Window(long firstIndex, long lastIndex, int evaluations, boolean closed) {}

  /** One user's merged history: log index → event. */
  static final class History {
    /** Log index → 0 for a success, the attempt number (1..limit) for an evaluation. */
    final TreeMap<Long, Integer> events = new TreeMap<>();
    final List<String> duplicates = new ArrayList<>();
    final java.util.Set<String> partialsSeen = new java.util.HashSet<>();
    int logins;
    int limit = -1;

    /** The windows in log order; only the last may be open. */
    List<Window> windows() {
      List<Window> out = new ArrayList<>();
      long first = -1;
      long last = -1;
      int n = 0;
      int lastAttempt = 0;
      for (Map.Entry<Long, Integer> e : events.entrySet()) {
        int attempt = e.getValue();
        if (attempt == PARTIAL) {
          if (n == 0) {
            first = e.getKey();
          }
          n++;
          last = e.getKey();
          continue;
        }
        if (attempt == 0 || (n > 0 && attempt <= lastAttempt)) {
          if (attempt == 0) {
            out.add(new Window(n == 0 ? e.getKey() : first, e.getKey(), n, true));
            n = 0;
            lastAttempt = 0;
            continue;
          }
          out.add(new Window(first, last, n, true));
          n = 0;
        }
        if (n == 0) {
          first = e.getKey();
        }
        n++;
        last = e.getKey();
        lastAttempt = attempt;
      }
      if (n > 0) {
        out.add(new Window(first, last, n, false));
      }
      return out;
    }

    /** Evaluations in the last window if no reset has closed it yet, else 0. */
    int openWindow() {
      List<Window> w = windows();
      return w.isEmpty() || w.get(w.size() - 1).closed() ? 0
          : w.get(w.size() - 1).evaluations();
    }

    /** The most evaluations any window between two resets holds. */
    int maxWindow() {
      return windows().stream().mapToInt(Window::evaluations).max().orElse(0);
    }
  }

  private EvaluationLogs() {}

  /**
   * Parses and merges the members' logs, each given by its active file and read with every
   * file its rotations left ({@link EvaluationLogChain}: a missing or altered file fails the
   * read). A member that never wrote a log counts as empty.
   */
  static Map<String, History> read(Collection<Path> activeFiles) throws IOException {
    Map<String, History> out = new HashMap<>();
    for (Path f : activeFiles) {
      String member = f.toAbsolutePath().getParent().getFileName().toString();
      for (EvaluationLogChain.Line l : EvaluationLogChain.lines(f)) {
        parse(out, l.text(), l.where(), member);
      }
    }
    return out;
  }

  /** {@code where} names the line for messages; {@code member} the log it came from. */
  static void parse(Map<String, History> out, String line, String where, String member) {
    String[] f = line.split(" ");
    if (f.length == 5 && f[0].equals("partial")) {
      partial(out, f, line, where, member);
      return;
    }
    boolean login = f.length == 4 && f[0].equals("login");
    boolean success = f.length == 3 && f[0].equals("success");
    if (!login && !success) {
      throw new IllegalStateException(where + ": malformed evaluation log line '" + line + "'");
    }
    History h = out.computeIfAbsent(f[1], u -> new History());
    long index = Long.parseLong(f[2]);
    int attempt = 0;
    if (login) {
      h.logins++;
      if (f[3].equals("-")) {
        attempt = Integer.MAX_VALUE; // a user without a record: no window to count in
      } else {
        int slash = f[3].indexOf('/');
        attempt = Integer.parseInt(f[3].substring(0, slash));
        h.limit = Integer.parseInt(f[3].substring(slash + 1));
        if (attempt < 1 || attempt > h.limit) {
          h.duplicates.add(where + ": attempt " + attempt + " outside 1.." + h.limit);
        }
      }
    }
    Integer before = h.events.put(index, attempt);
    if (before != null && !(before == PARTIAL && login)) {
      h.duplicates.add(where + ": index " + index + " logged twice (" + line + ")");
    }
  }

  /** An attempt number for an index only a peer's partial names (its serving member's line lost). */
  static final int PARTIAL = -1;

  /**
   * A peer's partial for another member's login ({@code partial login <user> <index> <n>}):
   * the same committed attempt as that member's {@code login} line at the index, so it adds no
   * evaluation of its own; without one it is an evaluation of an attempt whose number the logs
   * do not say. Each member answers an index once, so a second line from one member's log (any of its files) is a breach.
   * Registration partials evaluate a registration's fresh key, not a record's: not counted.
   */
  private static void partial(Map<String, History> out, String[] f, String line, String where,
      String member) {
    if (!f[1].equals("login") && !f[1].equals("registration")) {
      throw new IllegalStateException(where + ": malformed evaluation log line '" + line + "'");
    }
    History h = out.computeIfAbsent(f[2], u -> new History());
    long index = Long.parseLong(f[3]);
    if (!h.partialsSeen.add(f[1] + " " + index + " " + member)) {
      h.duplicates.add(where + ": " + f[1] + " partial for index " + index
          + " answered twice by one member (" + line + ")");
    }
    if (f[1].equals("login")) {
      h.events.putIfAbsent(index, PARTIAL);
    }
  }

  /** Every violation of the invariant in {@code histories}, empty if none. */
  static List<String> violations(Map<String, History> histories) {
    List<String> out = new ArrayList<>();
    histories.forEach((user, h) -> {
      out.addAll(h.duplicates);
      if (h.limit > 0 && h.maxWindow() > h.limit) {
        out.add("user " + user + ": " + h.maxWindow() + " evaluations between two resets; "
            + "limit " + h.limit);
      }
    });
    return out;
  }
}
