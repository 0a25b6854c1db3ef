package dev.bkv.cli.fleet;

import java.io.PrintWriter;
import java.util.function.Consumer;

/** A ceremony's progress: each step an indented line on the command's stderr, as it happens. */
final class Progress {
  private Progress() {}

  static Consumer<String> to(PrintWriter err) {
    return line -> {
      err.println("  " + line);
      err.flush();
    };
  }
}
