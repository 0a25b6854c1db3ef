package dev.bkv.node.ops;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * {@code node.log.format = json}: the member's log lines (java.util.logging, which {@code
 * System.Logger} and, in the distribution, SLF4J write to) as one JSON object per line on
 * standard error, for log shippers:
 *
 * <pre>
 * {"time":"2026-12-07T10:31:02.123Z","level":"INFO","logger":"dev.bkv.node.service.VaultNode",
 *  "message":"member m1 of fleet f serves the vault API on port 7443"}
 * </pre>
 *
 * A thrown exception adds {@code "thrown"}: its class and message and those of its causes, no
 * stack trace. bkv never logs a password, PIN or key; this format adds nothing but structure.
 */
public final class JsonLogs extends Formatter {
  private JsonLogs() {}

  /** Held so that java.util.logging does not forget the levels set on them. */
  private static final List<Logger> QUIETED = new ArrayList<>();

  /**
   * Sets the levels of the libraries' loggers, unless a logging configuration file ({@code
   * java.util.logging.config.file}) says otherwise: Ratis from {@code raftLevel} ({@code
   * node.log.raft-level}; at INFO it reports elections, role changes, snapshots, purges and
   * lagging followers, a few lines a minute in steady state), except the dump of every
   * configuration key at start, which needs CONFIG or lower; gRPC and Netty (a line per
   * connection) from WARNING. Below INFO the root handlers are lowered to match.
   */
  public static synchronized void quietLibraries(Level raftLevel) {
    if (System.getProperty("java.util.logging.config.file") != null || !QUIETED.isEmpty()) {
      return;
    }
    set("org.apache.ratis", raftLevel);
    Level dumps = raftLevel.intValue() <= Level.CONFIG.intValue() ? raftLevel : Level.WARNING;
    for (String name : List.of("org.apache.ratis.server.RaftServerConfigKeys",
        "org.apache.ratis.grpc.GrpcConfigKeys", "org.apache.ratis.RaftConfigKeys",
        "org.apache.ratis.client.RaftClientConfigKeys", "org.apache.ratis.conf")) {
      set(name, dumps);
    }
    for (String name : List.of("io.grpc", "io.netty")) {
      set(name, Level.WARNING);
    }
    if (raftLevel.intValue() < Level.INFO.intValue()) {
      for (Handler h : LogManager.getLogManager().getLogger("").getHandlers()) {
        h.setLevel(raftLevel);
      }
    }
  }

  private static void set(String name, Level level) {
    Logger l = Logger.getLogger(name);
    l.setLevel(level);
    QUIETED.add(l);
  }

  /** Replaces the root logger's handlers with one writing JSON lines to standard error. */
  public static synchronized void install() {
    Logger root = LogManager.getLogManager().getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    ConsoleHandler h = new ConsoleHandler();
    h.setFormatter(new JsonLogs());
    h.setLevel(java.util.logging.Level.ALL);
    root.addHandler(h);
  }

  /** A formatter for other handlers (e.g. a FileHandler set up in logging.properties). */
  public static Formatter formatter() {
    return new JsonLogs();
  }

  @Override
  public String format(LogRecord r) {
    StringBuilder b = new StringBuilder(160).append('{');
    field(b, "time", Instant.ofEpochMilli(r.getMillis()).toString()).append(',');
    field(b, "level", r.getLevel().getName()).append(',');
    field(b, "logger", r.getLoggerName() == null ? "" : r.getLoggerName()).append(',');
    field(b, "message", formatMessage(r));
    if (r.getThrown() != null) {
      b.append(',');
      field(b, "thrown", summary(r.getThrown()));
    }
    return b.append("}\n").toString();
  }

  /** {@code Class: message; caused by Class: message …}, without a stack trace. */
  static String summary(Throwable t) {
    StringBuilder b = new StringBuilder();
    for (int depth = 0; t != null && depth < 5; t = t.getCause(), depth++) {
      if (depth > 0) {
        b.append("; caused by ");
      }
      b.append(t.getClass().getName());
      if (t.getMessage() != null) {
        b.append(": ").append(t.getMessage());
      }
    }
    return b.toString();
  }

  private static StringBuilder field(StringBuilder b, String name, String value) {
    return quote(b, name).append(':').append(quote(new StringBuilder(), value));
  }

  static StringBuilder quote(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"');
  }
}
