package dev.bkv.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code bkv} as its own JVM, stdout and stderr being pipes, and captures everything it
 * wrote (also what libraries print to {@code System.err} themselves, which {@link CliRun} does
 * not see).
 */
public record CliProcess(int exitCode, String out, String err) {

  public static CliProcess of(List<String> args) throws Exception {
    return of(Map.of(), List.of(), args);
  }

  /**
   * Runs {@code bkv args} with {@code env} changed (a null value removes the variable) and
   * {@code jvmArgs} before the class name.
   */
  public static CliProcess of(Map<String, String> env, List<String> jvmArgs, List<String> args)
      throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmArgs);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.bkv.cli.Bkv"));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    env.forEach((k, v) -> {
      if (v == null) {
        pb.environment().remove(k);
      } else {
        pb.environment().put(k, v);
      }
    });
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "bkv did not finish");
    return new CliProcess(p.exitValue(), out, err);
  }

  public List<String> errLines() {
    return err.lines().toList();
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
  }
}
