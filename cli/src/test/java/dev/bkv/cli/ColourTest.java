package dev.bkv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

/** Colour only on a terminal, never with NO_COLOR set. */
class ColourTest {
  private static final String ESC = "\u001b[";
  private static final List<String> HELP = List.of("token", "keygen", "--help");

  @Test
  void noColorTurnsAnsiOffOtherwisePicocliDecides() {
    assertEquals(Ansi.OFF, Bkv.ansi(Map.of("NO_COLOR", "1")));
    assertEquals(Ansi.OFF, Bkv.ansi(Map.of("NO_COLOR", "")));
    assertEquals(Ansi.AUTO, Bkv.ansi(Map.of("TERM", "xterm-256color")));
  }

  @Test
  void everyCommandUsesTheSameScheme() {
    Ansi expected = Bkv.ansi(System.getenv());
    check(Bkv.commandLine(), expected);
  }

  private static void check(CommandLine cmd, Ansi expected) {
    assertEquals(expected, cmd.getColorScheme().ansi(), cmd.getCommandSpec().qualifiedName());
    cmd.getSubcommands().values().forEach(sub -> check(sub, expected));
  }

  /** Without NO_COLOR and CLICOLOR_FORCE, as for output to a file or a pipe. */
  private static Map<String, String> plainEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("NO_COLOR", null);
    env.put("CLICOLOR_FORCE", null);
    return env;
  }

  @Test
  void helpWrittenToAPipeHasNoEscapes() throws Exception {
    CliProcess run = CliProcess.of(plainEnv(), List.of(), HELP);
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("Usage: bkv token keygen"), run.toString());
    assertFalse(run.out().contains(ESC), run.toString());
  }

  @Test
  void noColorWinsOverAForcedColour() throws Exception {
    // The same run asked to colour does colour, so the check below can see escapes ...
    CliProcess forced = CliProcess.of(plainEnv(), List.of("-Dpicocli.ansi=true"), HELP);
    assertTrue(forced.out().contains(ESC), forced.toString());
    // ... and NO_COLOR turns them off all the same.
    Map<String, String> env = plainEnv();
    env.put("NO_COLOR", "1");
    CliProcess off = CliProcess.of(env, List.of("-Dpicocli.ansi=true"), HELP);
    assertEquals(0, off.exitCode(), off.toString());
    assertTrue(off.out().contains("Usage: bkv token keygen"), off.toString());
    assertFalse(off.out().contains(ESC), off.toString());
  }

  @Test
  void scriptProgressLinesToAPipeHaveNoEscapes() throws Exception {
    Path common = Path.of("..", "scripts", "lib", "common.sh").toAbsolutePath().normalize();
    assertTrue(Files.isRegularFile(common), common.toString());
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", "source \"$1\"; say hi", "bash",
        common.toString());
    pb.environment().remove("NO_COLOR");
    Process p = pb.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertEquals("==> hi\n", out);
  }

  /**
   * Debian's Maven 3.8 writes colour resets even in batch mode; the scripts' mvn wrapper keeps
   * them out of pipes and files (what scripts/demo and scripts/test print goes through it).
   */
  @Test
  void mavenOutputToAPipeHasNoEscapes() throws Exception {
    Path common = Path.of("..", "scripts", "lib", "common.sh").toAbsolutePath().normalize();
    ProcessBuilder pb = new ProcessBuilder("bash", "-c",
        "set -euo pipefail; source \"$1\"; mvn -B -v", "bash", common.toString());
    Process p = pb.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("Apache Maven"), out);
    assertFalse(out.contains(ESC), out);
  }
}
