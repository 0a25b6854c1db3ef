package dev.bkv.hygiene;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Captures everything a test prints while open: {@code System.out}, {@code System.err} and all
 * {@code java.util.logging} records at every level ({@code System.Logger} goes to JUL when no
 * other backend is installed), each record formatted with its parameters and thrown stack trace.
 */
public final class OutputCapture implements AutoCloseable {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final StringBuilder extra = new StringBuilder();
  private final PrintStream oldOut = System.out;
  private final PrintStream oldErr = System.err;
  private final Logger root = Logger.getLogger("");
  private final Level oldLevel = root.getLevel();
  private final Handler handler;
  private int records;

  public OutputCapture() {
    System.setOut(new PrintStream(tee(oldOut), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(tee(oldErr), true, StandardCharsets.UTF_8));
    SimpleFormatter fmt = new SimpleFormatter();
    handler = new Handler() {
      @Override
      public void publish(LogRecord r) {
        synchronized (extra) {
          records++;
          extra.append(fmt.format(r));
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    handler.setLevel(Level.ALL);
    root.setLevel(Level.ALL);
    root.addHandler(handler);
  }

  private OutputStream tee(PrintStream original) {
    return new OutputStream() {
      @Override
      public void write(int b) {
        synchronized (bytes) {
          bytes.write(b);
        }
        original.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        synchronized (bytes) {
          bytes.write(b, off, len);
        }
        original.write(b, off, len);
      }
    };
  }

  /** Adds text the test produced itself: exception messages, toString() of results. */
  public void note(Object o) {
    synchronized (extra) {
      extra.append(o).append('\n');
    }
  }

  /** A throwable's whole chain with stack traces, as a log would print it. */
  public void noteThrowable(Throwable t) {
    java.io.StringWriter w = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(w));
    note(w);
  }

  public int logRecords() {
    return records;
  }

  /** Everything captured so far: streams as ISO-8859-1 (so raw bytes survive), plus log text. */
  public String text() {
    synchronized (bytes) {
      synchronized (extra) {
        return bytes.toString(StandardCharsets.ISO_8859_1) + "\n"
            + bytes.toString(StandardCharsets.UTF_8) + "\n" + extra;
      }
    }
  }

  @Override
  public void close() {
    System.setOut(oldOut);
    System.setErr(oldErr);
    root.removeHandler(handler);
    root.setLevel(oldLevel);
  }
}
