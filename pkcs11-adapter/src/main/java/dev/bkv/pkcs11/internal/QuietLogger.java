package dev.bkv.pkcs11.internal;

import org.xipki.pkcs11.wrapper.Logger;

/**
 * Logger for the IAIK wrapper: without one it prints every C_* call to stdout. Its warnings
 * (e.g. a token's unparsable clock, with raw bytes in the text) and errors go to
 * {@code System.Logger} at {@code DEBUG}, as one printable line: bkv reports the failures that
 * matter itself, so nothing reaches a terminal unless that logger is turned up. Everything else is
 * dropped. The wrapper never passes PIN values to its logger.
 */
public final class QuietLogger implements Logger {
  private static final System.Logger LOG = System.getLogger("dev.bkv.pkcs11.ipkcs11wrapper");

  @Override
  public void info(String format, Object... args) {}

  @Override
  public void warn(String format, Object... args) {
    LOG.log(System.Logger.Level.DEBUG, () -> printable(render(format, args)));
  }

  @Override
  public void error(String format, Object... args) {
    LOG.log(System.Logger.Level.DEBUG, () -> printable(render(format, args)));
  }

  @Override
  public void debug(String format, Object... args) {}

  @Override
  public void trace(String format, Object... args) {}

  @Override
  public boolean isDebugEnabled() {
    return false;
  }

  @Override
  public boolean isInfoEnabled() {
    return false;
  }

  @Override
  public boolean isWarnEnabled() {
    return LOG.isLoggable(System.Logger.Level.DEBUG);
  }

  @Override
  public boolean isTraceEnabled() {
    return false;
  }

  /**
   * {@code text} as one line of printable ASCII: control characters, non-ASCII bytes and
   * replacement characters (what a token's binary fields become) are shown as {@code \\xNN}.
   */
  public static String printable(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0x20 && c < 0x7f) {
        sb.append(c);
      } else if (c == '\n' || c == '\r' || c == '\t') {
        sb.append(' ');
      } else {
        sb.append(String.format("\\x%02X", (int) c & 0xff));
      }
    }
    return sb.toString();
  }

  private static String render(String format, Object... args) {
    StringBuilder sb = new StringBuilder();
    int arg = 0;
    int i = 0;
    while (i < format.length()) {
      if (format.startsWith("{}", i) && arg < args.length) {
        sb.append(args[arg++]);
        i += 2;
      } else {
        sb.append(format.charAt(i++));
      }
    }
    return sb.toString();
  }
}
