package dev.bkv.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * picocli's handling of a wrong command line (message, usage, exit 2), except that a missing
 * option is named as the usage names it. picocli's message takes an option's longest name
 * ({@code --config=FILE}) while the usage shows its shortest ({@code --token=FILE}); the
 * message now says {@code --token=FILE} too and the other name stays an alias.
 */
final class UsageErrors implements IParameterExceptionHandler {
  private final IParameterExceptionHandler picocli;

  UsageErrors(IParameterExceptionHandler picocli) {
    this.picocli = picocli;
  }

  @Override
  public int handleParseException(ParameterException e, String[] args) throws Exception {
    if (e instanceof MissingParameterException m) {
      e = new MissingParameterException(m.getCommandLine(), m.getMissing(), usageNames(m));
    }
    return picocli.handleParseException(e, args);
  }

  /** The message with every missing option named by the name the usage shows. */
  static String usageNames(MissingParameterException e) {
    String message = e.getMessage();
    for (ArgSpec arg : e.getMissing()) {
      if (arg instanceof OptionSpec o && !o.longestName().equals(o.shortestName())) {
        Pattern longest = Pattern.compile("(?<![\\w-])" + Pattern.quote(o.longestName())
            + "(?![\\w-])");
        message = longest.matcher(message)
            .replaceAll(Matcher.quoteReplacement(o.shortestName()));
      }
    }
    return message;
  }

  static void install(CommandLine cli) {
    cli.setParameterExceptionHandler(new UsageErrors(cli.getParameterExceptionHandler()));
  }
}
