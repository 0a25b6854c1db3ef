package dev.bkv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A wrong command line names options the way their usage does. */
class UsageErrorsTest {
  @TempDir Path dir;

  @Test
  void missingTokenIsNamedAsInTheUsage() {
    CliRun run = CliRun.of("token", "info");
    assertEquals(ExitCodes.USAGE, run.exitCode(), run.toString());
    String first = run.err().lines().findFirst().orElseThrow();
    assertEquals("Missing required option: '--token=FILE'", first, run.toString());
    assertTrue(run.err().contains("Usage: bkv token info [-hV] [--json] [--verbose] --token=FILE"),
        run.toString());
    // the option list still shows the alias next to the name
    assertTrue(run.err().contains("--token, --config=FILE"), run.toString());
  }

  @Test
  void otherMissingOptionsStillListed() {
    CliRun run = CliRun.of("token", "keygen", "--label", "x");
    assertEquals(ExitCodes.USAGE, run.exitCode(), run.toString());
    String first = run.err().lines().findFirst().orElseThrow();
    assertTrue(first.startsWith("Missing required options: "), run.toString());
    assertTrue(first.contains("'--token=FILE'"), run.toString());
    assertTrue(first.contains("'--type=") && first.contains("'--usage="), run.toString());
    assertFalse(first.contains("--config"), run.toString());
  }

  @Test
  void configStaysAnAliasOfToken() {
    Path missing = dir.resolve("absent.properties");
    CliRun viaAlias = CliRun.of("token", "info", "--config", missing.toString());
    CliRun viaName = CliRun.of("token", "info", "--token", missing.toString());
    assertEquals(ExitCodes.BAD_INPUT, viaAlias.exitCode(), viaAlias.toString());
    assertEquals(viaName.exitCode(), viaAlias.exitCode());
    assertEquals(viaName.err(), viaAlias.err());
  }
}
