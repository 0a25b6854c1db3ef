package dev.bkv.cli;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * The one line a failure is reported as. A message may carry more than one line (a gRPC status
 * printed with its cause carries the cause's stack trace); the line keeps the message up to the
 * first stack frame and names the network cause found in the exception chain, such as
 * "connection refused", which the transport's own message ("io exception") does not.
 */
public final class ErrorLine {
  private static final Pattern FRAME =
      Pattern.compile("\\s+at .*|Caused by: .*|Suppressed: .*|\\s*\\.\\.\\. \\d+ more");
  /** {@code Status{code=UNAVAILABLE, description=io exception, cause=…}} → its code and text. */
  private static final Pattern STATUS =
      Pattern.compile("Status\\{code=(\\w+), description=(.*?)(, cause=.*)?\\}?$");

  private ErrorLine() {}

  /** One line for {@code e}: its message without stack traces, plus the network cause. */
  public static String of(Throwable e) {
    String message = e.getMessage();
    if (e instanceof UncheckedIOException && e.getCause() != null) {
      message = e.getCause().getMessage();
    }
    String line = message == null ? "" : firstParagraph(message);
    if (line.isBlank()) {
      return "internal fault (" + e.getClass().getSimpleName() + "); rerun with --verbose";
    }
    String cause = networkCause(e);
    if (cause != null && !line.toLowerCase(Locale.ROOT).contains(cause.toLowerCase(Locale.ROOT))) {
      line = line + " (" + cause + ")";
    }
    return line;
  }

  /** The lines before the first stack frame, joined with "; ". */
  static String firstParagraph(String message) {
    List<String> kept = new ArrayList<>();
    for (String l : message.split("\\R")) {
      if (FRAME.matcher(l).matches()) {
        break;
      }
      if (!l.isBlank()) {
        kept.add(STATUS.matcher(l.strip()).replaceFirst("$1: $2"));
      }
    }
    return String.join("; ", kept);
  }

  /** What went wrong on the network, from the types in {@code e}'s cause chain, or null. */
  static String networkCause(Throwable e) {
    String found = null;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String s = describe(t);
      if (s != null) {
        found = s; // the deepest one is the most specific
      }
    }
    return found;
  }

  private static String describe(Throwable t) {
    String m = t.getMessage() == null ? "" : t.getMessage().lines().findFirst().orElse("");
    String lower = m.toLowerCase(Locale.ROOT);
    if (t instanceof ConnectException) {
      if (lower.contains("refused")) {
        return "connection refused";
      }
      if (lower.contains("timed out")) {
        return "connection timed out";
      }
      return "cannot connect: " + m;
    }
    if (t instanceof NoRouteToHostException) {
      return "no route to host";
    }
    if (t instanceof UnknownHostException) {
      return "unknown host " + m.split(":", 2)[0];
    }
    if (t instanceof SocketTimeoutException) {
      return "timed out";
    }
    if (t instanceof SSLException) {
      return "TLS failed: " + m;
    }
    if (t instanceof ClosedChannelException) {
      return "connection closed";
    }
    return null;
  }
}
