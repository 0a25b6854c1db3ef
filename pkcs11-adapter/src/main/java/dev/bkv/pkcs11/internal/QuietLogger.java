package dev.bkv.pkcs11.internal;

import org.xipki.pkcs11.wrapper.Logger;

/**
 * Logger for the IAIK wrapper: without one it prints every C_* call to stdout. Warnings and
 * errors go to {@code System.Logger} (JUL by default); everything else is dropped. The wrapper
 * never passes PIN values to its logger.
 */
public final class QuietLogger implements Logger {
  private static final System.Logger LOG = System.getLogger("dev.bkv.pkcs11.ipkcs11wrapper");

  @Override
  public void info(String format, Object... args) {}

  @Override
  public void warn(String format, Object... args) {
    LOG.log(System.Logger.Level.WARNING, () -> render(format, args));
  }

  @Override
  public void error(String format, Object... args) {
    LOG.log(System.Logger.Level.ERROR, () -> render(format, args));
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
    return LOG.isLoggable(System.Logger.Level.WARNING);
  }

  @Override
  public boolean isTraceEnabled() {
    return false;
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
