package dev.bkv.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns any failure of a subcommand into one line on stderr and a documented exit code, both
 * from {@link ErrorMapping}. The stack trace is printed only with {@code --verbose}.
 */
final class ErrorHandler implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    err.println("bkv: " + ErrorMapping.line(e));
    if (verbose(cmd)) {
      e.printStackTrace(err);
    }
    err.flush();
    return ErrorMapping.exitCode(e);
  }

  private static boolean verbose(CommandLine cmd) {
    CommandLine root = cmd;
    while (root.getParent() != null) {
      root = root.getParent();
    }
    return root.getCommand() instanceof Bkv bkv && bkv.verbose;
  }
}
