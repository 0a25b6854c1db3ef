package dev.bkv.node.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the members' evaluation logs ({@link EvaluationCounter}) and checks the guess-limit
 * invariant on them: no committed attempt is evaluated twice, and between two successful logins
 * a user gets at most {@code limit} evaluations. Events are ordered by their Raft log index,
 * which is global within the user's shard, so logs from different members merge into one
 * history.
 */
final class EvaluationLogs {
  /** One user's merged history: log index → event. */
  static final class History {
    final TreeMap<Long, Boolean> events = new TreeMap<>(); // true = success, false = login
    final List<String> duplicates = new ArrayList<>();
    int logins;
    int limit = -1;

    /** Evaluations after the last success (the window a failed guess still counts in). */
    int openWindow() {
      Map.Entry<Long, Boolean> lastSuccess = null;
      for (Map.Entry<Long, Boolean> e : events.descendingMap().entrySet()) {
        if (e.getValue()) {
          lastSuccess = e;
          break;
        }
      }
      return (int) events.tailMap(lastSuccess == null ? Long.MIN_VALUE : lastSuccess.getKey(),
          false).values().stream().filter(v -> !v).count();
    }

    /** Evaluations in each window that a success closed, oldest first. */
    List<Integer> closedWindows() {
      List<Integer> out = new ArrayList<>();
      int run = 0;
      for (boolean success : events.values()) {
        if (success) {
          out.add(run);
          run = 0;
        } else {
          run++;
        }
      }
      return out;
    }

    /** The most evaluations any window between two successes holds. */
    int maxWindow() {
      int max = 0;
      int run = 0;
      for (boolean success : events.values()) {
        if (success) {
          run = 0;
        } else {
          max = Math.max(max, ++run);
        }
      }
      return max;
    }
  }

  private EvaluationLogs() {}

  /** Parses and merges the given log files (missing files count as empty). */
  static Map<String, History> read(Collection<Path> files) throws IOException {
    Map<String, History> out = new HashMap<>();
    for (Path f : files) {
      if (!Files.exists(f)) {
        continue;
      }
      int n = 0;
      for (String line : Files.readAllLines(f)) {
        n++;
        parse(out, line, f.getFileName() + ":" + n);
      }
    }
    return out;
  }

  static void parse(Map<String, History> out, String line, String where) {
    String[] f = line.split(" ");
    boolean login = f.length == 4 && f[0].equals("login");
    boolean success = f.length == 3 && f[0].equals("success");
    if (!login && !success) {
      throw new IllegalStateException(where + ": malformed evaluation log line '" + line + "'");
    }
    History h = out.computeIfAbsent(f[1], u -> new History());
    long index = Long.parseLong(f[2]);
    Boolean before = h.events.put(index, success);
    if (before != null) {
      h.duplicates.add(where + ": index " + index + " logged twice (" + line + ")");
    }
    if (login) {
      h.logins++;
      if (!f[3].equals("-")) {
        h.limit = Integer.parseInt(f[3].substring(f[3].indexOf('/') + 1));
      }
    }
  }

  /** Every violation of the invariant in {@code histories}, empty if none. */
  static List<String> violations(Map<String, History> histories) {
    List<String> out = new ArrayList<>();
    histories.forEach((user, h) -> {
      out.addAll(h.duplicates);
      if (h.limit > 0 && h.maxWindow() > h.limit) {
        out.add("user " + user + ": " + h.maxWindow() + " evaluations between two successes; "
            + "limit " + h.limit);
      }
    });
    return out;
  }
}
