package dev.bkv.cli;

import dev.bkv.cli.bundle.BundleCommand;
import dev.bkv.cli.cosigner.CosignerCommand;
import dev.bkv.cli.evidence.EvidenceCommand;
import dev.bkv.cli.fleet.FleetCommand;
import dev.bkv.cli.log.LogCommand;
import dev.bkv.cli.client.ClientCommand;
import dev.bkv.cli.node.NodeCommand;
import dev.bkv.cli.node.NodeRun;
import dev.bkv.cli.tenant.TenantCommand;
import dev.bkv.cli.witness.WitnessCommand;
import dev.bkv.cli.token.TokenCommand;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/**
 * The {@code bkv} command: operator, cosigner, node and client subcommands. {@code -h},
 * {@code --help} and {@code -V}, {@code --version} are inherited by every subcommand, so
 * {@code bkv <command> <subcommand> --help} answers before required options are checked.
 */
@Command(
    name = "bkv",
    scope = CommandLine.ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Backup Key Vault: an HSM-backed vault for password-recoverable backup keys.",
    subcommands = {TokenCommand.class, FleetCommand.class, EvidenceCommand.class,
        BundleCommand.class, CosignerCommand.class, LogCommand.class, WitnessCommand.class,
        NodeCommand.class,
        ClientCommand.class, TenantCommand.class,
        CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n")
public final class Bkv {
  @Option(
      names = "--verbose",
      scope = CommandLine.ScopeType.INHERIT,
      description = "Print stack traces of failures (never secrets).")
  boolean verbose;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs {@code bkv} with the given arguments and returns the exit code (used by tests). */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** The configured picocli command line, shared by {@link #run} and tests. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Bkv());
    cli.setColorScheme(CommandLine.Help.defaultColorScheme(ansi(System.getenv())));
    cli.setExecutionExceptionHandler(new ErrorHandler());
    UsageErrors.install(cli);
    cli.setExecutionStrategy(Bkv::execute);
    applyExitCodeHelp(cli);
    return cli;
  }

  /**
   * Colour in help and usage errors: never when {@code NO_COLOR} is set (https://no-color.org,
   * whatever its value, and even if {@code -Dpicocli.ansi=true} asks for it), otherwise only on
   * a terminal (picocli's {@link Ansi#AUTO}).
   */
  static Ansi ansi(Map<String, String> env) {
    return env.containsKey("NO_COLOR") ? Ansi.OFF : Ansi.AUTO;
  }

  /** Runs the chosen subcommand, with gRPC's own logging off unless --verbose or a member. */
  private static int execute(ParseResult parsed) {
    ParseResult leaf = parsed;
    while (leaf.hasSubcommand()) {
      leaf = leaf.subcommand();
    }
    boolean verbose = parsed.commandSpec().userObject() instanceof Bkv bkv && bkv.verbose;
    TransportLogs.quiet(!verbose && !(leaf.commandSpec().userObject() instanceof NodeRun));
    return new CommandLine.RunLast().execute(parsed);
  }

  private static void applyExitCodeHelp(CommandLine cli) {
    java.util.Map<String, String> codes = new java.util.LinkedHashMap<>();
    for (String line : ExitCodes.HELP_LIST) {
      int colon = line.indexOf(':');
      codes.put(line.substring(0, colon), line.substring(colon + 1));
    }
    cli.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
    for (CommandLine sub : cli.getSubcommands().values()) {
      applyExitCodeHelp(sub);
    }
  }
}
