package dev.bkv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every command in {@code bkv}'s tree answers {@code --help} and {@code -h} with its usage on
 * standard output and exit 0, even though most have required options.
 */
class HelpTest {

  /** Every command path ({@code [token, keygen]}, …) paired with each help option. */
  static Stream<Arguments> everyCommand() {
    List<List<String>> paths = new ArrayList<>();
    walk(Bkv.commandLine(), new ArrayList<>(), paths);
    assertTrue(paths.size() > 40, "the walk found only " + paths.size() + " commands");
    return paths.stream().flatMap(p -> Stream.of(Arguments.of(p, "--help"),
        Arguments.of(p, "-h")));
  }

  private static void walk(CommandLine cmd, List<String> path, List<List<String>> into) {
    into.add(List.copyOf(path));
    for (var e : cmd.getSubcommands().entrySet()) {
      if (!e.getKey().equals(e.getValue().getCommandName())) {
        continue; // an alias of a command already walked
      }
      path.add(e.getKey());
      walk(e.getValue(), path, into);
      path.remove(path.size() - 1);
    }
  }

  @ParameterizedTest(name = "bkv {0} {1}")
  @MethodSource("everyCommand")
  void helpExitsZeroWithUsageOnStdout(List<String> path, String option) {
    List<String> args = new ArrayList<>(path);
    args.add(option);
    CliRun run = CliRun.of(args.toArray(String[]::new));
    String name = String.join(" ", path);
    assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
    assertEquals("", run.err(), run.toString());
    // picocli's own help command prints its description above the usage line
    assertTrue(run.out().contains("Usage: bkv" + (name.isEmpty() ? "" : " " + name) + " "),
        run.toString());
    assertTrue(run.out().contains("Exit codes:"), run.toString());
  }
}
