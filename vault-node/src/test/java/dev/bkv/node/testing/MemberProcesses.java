package dev.bkv.node.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Fleet members as separate JVMs started from the test class path, with the faults a test may
 * inflict on them: SIGKILL, SIGTERM, SIGSTOP and SIGCONT. Each launch writes its own log under
 * the fleet's directory; {@link #close()} kills every process (also when the test JVM is stopped
 * first) and copies the logs to {@code $BKV_TEST_WORKDIR/cluster-logs/}.
 */
public final class MemberProcesses implements AutoCloseable {
  private final Path root;
  private final Map<String, Process> running = new ConcurrentHashMap<>();
  private final Map<String, Path> logs = new ConcurrentHashMap<>();
  private final Set<String> paused = ConcurrentHashMap.newKeySet();
  private final List<Path> allLogs = new ArrayList<>();
  private final Thread reaper = new Thread(this::close, "bkv-test-members-reaper");
  private int launches;

  public MemberProcesses(Path root) {
    this.root = root;
    // Children must not outlive a test JVM that is stopped before close() runs.
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  /**
   * Starts {@code main} with {@code args} as member {@code id}: {@code prefix} goes before the
   * java command (e.g. {@code ip netns exec …}), {@code env} is added to the environment and
   * {@code jvmOptions} (a heap size, fault-injection properties) to the JVM's options.
   */
  public synchronized void launch(String id, List<String> prefix, Map<String, String> env,
      List<String> jvmOptions, Class<?> main, String... args) throws IOException {
    if (running.containsKey(id)) {
      throw new IllegalStateException(id + " is already running");
    }
    String cp = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>(prefix);
    cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-Dorg.slf4j.simpleLogger.showDateTime=true"));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", cp, main.getName()));
    cmd.addAll(List.of(args));
    Path log = root.resolve(id + "-" + (++launches) + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    running.put(id, pb.start());
    logs.put(id, log);
    allLogs.add(log);
  }

  /** Waits until the member's current log says {@code ready <id>}. */
  public void awaitReady(String id, Duration timeout) throws Exception {
    Path log = logs.get(id);
    Process proc = running.get(id);
    if (proc == null) {
      throw new IllegalStateException(id + " is not running");
    }
    Polling.until(timeout, "member " + id + " ready", () -> {
      if (!proc.isAlive()) {
        throw new IllegalStateException(id + " exited with " + proc.exitValue() + ": "
            + Files.readString(log));
      }
      return Files.readString(log).contains("ready " + id);
    });
  }

  /** The member's process id (it must be running). */
  public synchronized long pid(String id) {
    Process p = running.get(id);
    if (p == null) {
      throw new IllegalStateException(id + " is not running");
    }
    return p.pid();
  }

  public boolean isRunning(String id) {
    Process p = running.get(id);
    return p != null && p.isAlive();
  }

  public boolean isPaused(String id) {
    return paused.contains(id);
  }

  /** The ids of the members running now (paused ones included). */
  public Set<String> runningIds() {
    Set<String> out = new HashSet<>();
    running.forEach((id, p) -> {
      if (p.isAlive()) {
        out.add(id);
      }
    });
    return out;
  }

  /** SIGKILL: no shutdown hook, no final snapshot. */
  public void kill(String id) throws InterruptedException {
    Process p = take(id);
    p.destroyForcibly();
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      throw new IllegalStateException(id + " did not die");
    }
  }

  /** SIGTERM: the member closes its servers (and Ratis takes a snapshot on stop). */
  public void stop(String id) throws InterruptedException {
    Process p = take(id);
    p.destroy();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(id + " did not stop on SIGTERM");
    }
  }

  /** SIGSTOP: the process freezes with its sockets open, as a stalled machine would. */
  public void pause(String id) throws IOException {
    signal(id, "STOP");
    paused.add(id);
  }

  /** SIGCONT after {@link #pause}. */
  public void resume(String id) throws IOException {
    signal(id, "CONT");
    paused.remove(id);
  }

  /** SIGQUIT to every running member: each JVM prints its threads into its log. */
  public void dumpThreads() {
    for (String id : runningIds()) {
      try {
        signal(id, "QUIT");
      } catch (IOException | IllegalStateException e) {
        System.err.println("no thread dump of " + id + ": " + e.getMessage());
      }
    }
  }

  /** Every log written so far, oldest launch first. */
  public synchronized List<Path> logs() {
    return List.copyOf(allLogs);
  }

  private Process take(String id) {
    Process p = running.remove(id);
    if (p == null) {
      throw new IllegalStateException(id + " is not running");
    }
    paused.remove(id);
    return p;
  }

  private void signal(String id, String sig) throws IOException {
    Process p = running.get(id);
    if (p == null) {
      throw new IllegalStateException(id + " is not running");
    }
    Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid()))
        .redirectErrorStream(true).start();
    try {
      if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
        throw new IOException("kill -" + sig + " " + id + " failed: "
            + new String(k.getInputStream().readAllBytes()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  @Override
  public synchronized void close() {
    if (Thread.currentThread() != reaper) {
      try {
        Runtime.getRuntime().removeShutdownHook(reaper);
      } catch (IllegalStateException e) {
        // The JVM is already shutting down; the hook does the same work.
      }
    }
    List<Process> all = new ArrayList<>(running.values());
    for (Process p : all) {
      p.destroyForcibly(); // SIGKILL also ends a stopped process.
    }
    for (Process p : all) {
      try {
        p.waitFor(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    running.clear();
    paused.clear();
    keepLogs();
  }

  /** Copies member logs to the module's test work directory, for diagnosing a failure. */
  private void keepLogs() {
    String work = System.getenv("BKV_TEST_WORKDIR");
    if (work == null) {
      return;
    }
    Path target = Path.of(work, "cluster-logs", root.getFileName().toString());
    try {
      Files.createDirectories(target);
      for (Path log : allLogs) {
        if (Files.exists(log)) {
          Files.copy(log, target.resolve(log.getFileName()),
              StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      System.err.println("cannot keep member logs in " + target + ": " + e.getMessage());
    }
  }
}
