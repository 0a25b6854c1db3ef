package dev.bkv.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns any failure of a subcommand into one line on stderr and a documented exit code. The stack
 * trace is printed only with {@code --verbose}.
 */
final class ErrorHandler implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    err.println("bkv: " + describe(e));
    if (verbose(cmd)) {
      e.printStackTrace(err);
    }
    err.flush();
    return ErrorMapping.exitCode(e);
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    if (e instanceof UncheckedIOException && e.getCause() != null) {
      message = e.getCause().getMessage();
    }
    if (message == null || message.isBlank()) {
      return "internal fault (" + e.getClass().getSimpleName() + "); rerun with --verbose";
    }
    return message;
  }

  private static boolean verbose(CommandLine cmd) {
    CommandLine root = cmd;
    while (root.getParent() != null) {
      root = root.getParent();
    }
    return root.getCommand() instanceof Bkv bkv && bkv.verbose;
  }
}
