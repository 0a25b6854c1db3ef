package dev.bkv.node.service;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.bkv.client.VaultClient;
import dev.bkv.recovery.SecretBytes;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.ratis.util.FileUtils;

/**
 * The scale mode of the vault benchmark (not a test): a 3-member fleet is bulk loaded ({@link
 * BulkLoad}) to each size in turn and measured there: recover p50/p99 with one client, bytes on
 * disk per record on each replica (snapshot included), each member's RSS and longest GC pause;
 * at the largest size, how long a member that lost its disk takes to catch up from a snapshot.
 * Run by {@code scripts/bench/vault --scale [sizes]}; member JVM options from {@code
 * -Dbkv.bench.member-jvm}. The fleet's files are deleted at the end.
 */
public final class VaultScaleBench {
  /** The member JVM settings measured (docs/operations.md explains the choice). */
  static final String MEMBER_JVM = "-XX:-UseSerialGC -XX:+UseG1GC -Xms2g -Xmx2g "
      + "-XX:MaxGCPauseMillis=20";
  /** How long a member that lost its disk may take to catch up before the run gives up. */
  private static final long CATCH_UP_LIMIT_S = 600;
  private static final int RECOVERS = 300;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private VaultScaleBench() {}

  record Row(long records, double p50, double p99, double bytesPerRecord, long rssMb,
      double gcMs) {}

  public static void main(String[] args) throws Exception {
    long[] sizes = Arrays.stream((args.length > 0 ? args[0] : "10000,1000000").split(","))
        .mapToLong(s -> Long.parseLong(s.trim().replace("_", ""))).sorted().toArray();
    int threads = Integer.getInteger("bkv.bench.threads", 2);
    List<String> jvm = new ArrayList<>(List.of("-Xlog:gc,gc+cpu"));
    jvm.addAll(List.of(System.getProperty("bkv.bench.member-jvm", MEMBER_JVM).split(" +")));
    System.out.println("member JVM: " + String.join(" ", jvm));
    VaultFleet fleet = new VaultFleet("scale", new VaultFleet.Options(3, false, jvm, 10_000));
    // The bulk load runs at the niceness this JVM was started with (scripts/bench/vault: 19);
    // the members, and this JVM while it measures, at 0 (as root), so that the numbers are the
    // fleet's and not the scheduler's.
    int loadNice = niceness();
    fleet.launchPrefix(List.of("nice", "-n", Integer.toString(-loadNice)));
    List<Row> rows = new ArrayList<>();
    try (fleet) {
      fleet.startAll();
      try (VaultClient c = fleet.client(fleet.ids())) {
        c.register("raft-written".getBytes(UTF_8), "pw".getBytes(UTF_8), BulkLoad.backupKey(0));
      }
      long loaded = 0;
      for (long size : sizes) {
        long t0 = System.nanoTime();
        renice(loadNice);
        BulkLoad.load(fleet, loaded, size - loaded, threads);
        renice(0);
        loaded = size;
        System.out.printf("loaded %,d records in %.0f s; members restarted%n", size,
            (System.nanoTime() - t0) / 1e9);
        rows.add(measure(fleet, size));
        print(rows);
      }
      catchUp(fleet, "m3", loaded);
    } finally {
      if (!Boolean.getBoolean("bkv.bench.keep")) {
        FileUtils.deleteFully(fleet.dir("m1").getParent().toFile());
      }
    }
  }

  private static Row measure(VaultFleet fleet, long size) throws Exception {
    SecureRandom rng = new SecureRandom();
    long[] lat = new long[RECOVERS];
    try (VaultClient c = fleet.client(fleet.ids())) {
      for (int i = -20; i < RECOVERS; i++) {
        long u = Math.floorMod(rng.nextLong(), size);
        long t = System.nanoTime();
        SecretBytes k = c.recover(BulkLoad.user(u).bytes(), BulkLoad.password(u));
        long took = System.nanoTime() - t;
        SecretBytes want = BulkLoad.backupKey(u);
        if (!k.equalsConstantTime(want)) {
          throw new IllegalStateException("bulk-" + u + " recovered the wrong backup key");
        }
        if (i >= 0) {
          lat[i] = took;
        }
      }
    }
    Arrays.sort(lat);
    long disk = 0;
    long rss = 0;
    double gc = 0;
    for (String id : fleet.ids()) {
      MemberDisk d = MemberDisk.measure(fleet.dir(id).resolve("data"), (int) size);
      System.out.println("  " + d.render(id));
      disk = Math.max(disk, d.total());
      rss = Math.max(rss, rssKb(fleet.processes().pid(id)));
      gc = Math.max(gc, VaultBench.longestGcPauseMs(fleet.log(id)));
      System.out.println("  " + id + ": " + longestPause(fleet.log(id)));
    }
    return new Row(size, lat[RECOVERS / 2] / 1e6, lat[RECOVERS * 99 / 100] / 1e6,
        disk / (double) size, rss / 1024, gc);
  }

  private static void print(List<Row> rows) {
    System.out.println("| records | recover p50 | recover p99 | bytes/record/replica "
        + "| max member RSS | longest GC pause |");
    System.out.println("|---:|---:|---:|---:|---:|---:|");
    for (Row r : rows) {
      System.out.printf("| %,d | %.1f ms | %.1f ms | %.0f | %,d MB | %.1f ms |%n", r.records(),
          r.p50(), r.p99(), r.bytesPerRecord(), r.rssMb(), r.gcMs());
    }
  }

  /** Stops {@code id}, empties its data directory and times its return from a snapshot. */
  private static void catchUp(VaultFleet fleet, String id, long records) throws Exception {
    fleet.stop(id);
    FileUtils.deleteFully(fleet.dir(id).resolve("data").toFile());
    long target = 0;
    for (String other : fleet.ids()) {
      if (!other.equals(id)) {
        target = Math.max(target, (long) gauge(fleet, other, "bkv_raft_commit_index"));
      }
    }
    long t0 = System.nanoTime();
    fleet.start(id);
    double ready = (System.nanoTime() - t0) / 1e9;
    while (gauge(fleet, id, "bkv_raft_applied_index") < target
        || gauge(fleet, id, "bkv_raft_rejoining") != 0) {
      if (System.nanoTime() - t0 > CATCH_UP_LIMIT_S * 1_000_000_000L) {
        System.out.printf("%s did not catch up within %d s at %,d records (applied %.0f of %d);"
            + " %s; leader side: %s%n", id, CATCH_UP_LIMIT_S, records,
            gauge(fleet, id, "bkv_raft_applied_index"), target,
            MemberDisk.measure(fleet.dir(id).resolve("data"), (int) records).render(id),
            longestPause(fleet.log(fleet.ids().get(0))));
        return;
      }
      Thread.sleep(100);
    }
    double caught = (System.nanoTime() - t0) / 1e9;
    System.out.printf("%s lost its disk at %,d records: process ready %.1f s after start, "
        + "caught up (snapshot installed, applied index %d, voting again) %.1f s after start; "
        + "%s%n", id, records, ready, target, caught,
        MemberDisk.measure(fleet.dir(id).resolve("data"), (int) records).render(id));
    System.out.printf("  %s during catch-up: %s; RSS %,d MB%n", id,
        longestPause(fleet.log(id)), rssKb(fleet.processes().pid(id)) / 1024);
  }

  /**
   * The longest pause with its CPU time ({@code -Xlog:gc+cpu}): a pause whose CPU time is a
   * small part of its wall time waited for a core, not for the collector's work.
   */
  static String longestPause(Path log) throws Exception {
    Pattern pause = Pattern.compile("GC\\((\\d+)\\) (Pause .*) (\\d+(?:\\.\\d+)?)ms$");
    Pattern cpu = Pattern.compile("GC\\((\\d+)\\) User=(\\S+)s Sys=(\\S+)s Real=(\\S+)s");
    List<String> lines = Files.readAllLines(log, UTF_8);
    String best = "none";
    double max = -1;
    String id = "";
    for (String l : lines) {
      Matcher m = pause.matcher(l.strip());
      if (m.find() && Double.parseDouble(m.group(3)) > max) {
        max = Double.parseDouble(m.group(3));
        id = m.group(1);
        best = m.group(2) + " " + m.group(3) + " ms";
      }
    }
    for (String l : lines) {
      Matcher m = cpu.matcher(l);
      if (m.find() && m.group(1).equals(id)) {
        best += String.format(" (CPU %.0f ms of %.0f ms wall)",
            (Double.parseDouble(m.group(2)) + Double.parseDouble(m.group(3))) * 1000,
            Double.parseDouble(m.group(4)) * 1000);
      }
    }
    return "longest GC pause: " + best;
  }

  private static int niceness() throws Exception {
    String stat = Files.readString(Path.of("/proc/self/stat"));
    return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
  }

  /** Sets every thread of this JVM to {@code nice} (lowering it needs root; else unchanged). */
  private static void renice(int nice) throws Exception {
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : tasks.toList()) {
        new ProcessBuilder("renice", "-n", Integer.toString(nice), "-p",
            t.getFileName().toString()).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
      }
    }
  }

  private static long rssKb(long pid) throws Exception {
    for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (l.startsWith("VmRSS:")) {
        return Long.parseLong(l.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  /** A gauge from the member's metrics (the shard's, the first if several); NaN: absent. */
  static double gauge(VaultFleet fleet, String id, String name) throws Exception {
    return gauge(fleet, id, name, "");
  }

  /** A gauge whose labels contain {@code label} (e.g. {@code role="leader"}). */
  static double gauge(VaultFleet fleet, String id, String name, String label) throws Exception {
    String body = HTTP.send(HttpRequest.newBuilder(fleet.metricsUri(id)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*"
        + Pattern.quote(label) + "[^}]*\\})? (\\S+)$").matcher(body);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }
}
