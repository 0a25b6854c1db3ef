package dev.bkv.node.service;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.bkv.channel.ChannelInitiator;
import dev.bkv.channel.ChannelResponder;
import dev.bkv.client.VaultClient;
import dev.bkv.ec.P256;
import dev.bkv.ec.Point;
import dev.bkv.ec.Scalar;
import dev.bkv.node.raft.ReplicatedStore;
import dev.bkv.node.store.Command;
import dev.bkv.node.store.UserId;
import dev.bkv.node.tenant.TenantAuthority;
import dev.bkv.node.tenant.TenantSigner;
import dev.bkv.opaque.Pkcs11Primitives;
import dev.bkv.pkcs11.EcPrivateKey;
import dev.bkv.pkcs11.KeySpec;
import dev.bkv.pkcs11.KeyUsage;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.testing.SoftHsmTokens;
import dev.bkv.recovery.SecretBytes;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load generator (not a test): a 3-process TLS fleet on this machine, then recover and register
 * throughput and p50/p99 latency with 1, 16 and 64 concurrent clients, printed beside the same
 * run's SoftHSM2 ECDH ops/s and Ratis write ops/s. Clients use the identity KSF so the numbers
 * are the fleet's, not Argon2id's. Everything shares this machine's cores: compare ratios.
 * Run by {@code scripts/bench/vault [seconds-per-level]}.
 */
public final class VaultBench {
  private VaultBench() {}

  interface Op {
    void run(int thread, long i) throws Exception;
  }

  record Result(double opsPerSec, double p50Ms, double p99Ms, long errors) {
    @Override
    public String toString() {
      return String.format("%8.1f ops/s  p50 %7.1f ms  p99 %7.1f ms%s", opsPerSec, p50Ms, p99Ms,
          errors == 0 ? "" : "  (" + errors + " errors)");
    }
  }

  static Result load(int threads, double seconds, Op op) throws InterruptedException {
    ConcurrentLinkedQueue<long[]> lat = new ConcurrentLinkedQueue<>();
    AtomicLong errors = new AtomicLong();
    AtomicLong seq = new AtomicLong();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    CountDownLatch done = new CountDownLatch(threads);
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      int id = t;
      new Thread(() -> {
        long[] mine = new long[1 << 16];
        int n = 0;
        while (System.nanoTime() < end && n < mine.length) {
          long t0 = System.nanoTime();
          try {
            op.run(id, seq.getAndIncrement());
            mine[n++] = System.nanoTime() - t0;
          } catch (Exception e) {
            errors.incrementAndGet();
          }
        }
        lat.add(Arrays.copyOf(mine, n));
        done.countDown();
      }).start();
    }
    done.await();
    double elapsed = (System.nanoTime() - start) / 1e9;
    long[] all = lat.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    if (all.length == 0) {
      return new Result(0, 0, 0, errors.get());
    }
    return new Result(all.length / elapsed, all[all.length / 2] / 1e6,
        all[Math.min(all.length - 1, (int) (all.length * 0.99))] / 1e6, errors.get());
  }

  /**
   * HSM calls (adapter operations, summed over every member's {@code bkv_hsm_operation} timer,
   * by kind) per registration and per login, from 20 of each in a row. A share evaluation is one
   * call: unwrap, two ECDH, destroy.
   */
  private static void hsmCallsPerOperation(VaultFleet fleet, SecretBytes backupKey)
      throws Exception {
    int n = 20;
    try (VaultClient c = fleet.client(fleet.ids())) {
      java.util.Map<String, Long> before = hsmCalls(fleet);
      for (int i = 0; i < n; i++) {
        c.register(("hsm-" + i).getBytes(UTF_8), ("pw-" + i).getBytes(UTF_8), backupKey);
      }
      java.util.Map<String, Long> mid = hsmCalls(fleet);
      for (int i = 0; i < n; i++) {
        c.recover(("hsm-" + i).getBytes(UTF_8), ("pw-" + i).getBytes(UTF_8)).destroy();
      }
      java.util.Map<String, Long> after = hsmCalls(fleet);
      System.out.println("HSM calls per registration (all members): " + perOp(before, mid, n));
      System.out.println("HSM calls per login (all members): " + perOp(mid, after, n));
    }
  }

  private static String perOp(java.util.Map<String, Long> from, java.util.Map<String, Long> to,
      int n) {
    java.util.Map<String, String> out = new java.util.TreeMap<>();
    long total = 0;
    for (var e : to.entrySet()) {
      long d = e.getValue() - from.getOrDefault(e.getKey(), 0L);
      if (d > 0) {
        out.put(e.getKey(), String.format("%.1f", d / (double) n));
        total += d;
      }
    }
    return String.format("%.1f", total / (double) n) + " " + out;
  }

  private static java.util.Map<String, Long> hsmCalls(VaultFleet fleet) throws Exception {
    java.util.Map<String, Long> out = new java.util.TreeMap<>();
    java.util.regex.Pattern line = java.util.regex.Pattern.compile(
        "^bkv_hsm_operation_seconds_count\\{(.*)\\} ([0-9.eE+]+)$");
    java.util.regex.Pattern kind = java.util.regex.Pattern.compile("operation=\"([^\"]*)\"");
    for (String l : metricLines(fleet)) {
      java.util.regex.Matcher m = line.matcher(l);
      if (m.matches()) {
        java.util.regex.Matcher k = kind.matcher(m.group(1));
        out.merge(k.find() ? k.group(1) : "?", (long) Double.parseDouble(m.group(2)),
            Long::sum);
      }
    }
    return out;
  }

  public static void main(String[] args) throws Exception {
    double secs = args.length > 0 ? Double.parseDouble(args[0]) : 8;
    int members = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int[] levels = {1, 16, 64};
    SecureRandom rng = new SecureRandom();
    byte[] key = new byte[32];
    rng.nextBytes(key);
    SecretBytes backupKey = SecretBytes.copyOf(key);

    try (Pkcs11Token token = Pkcs11Token.open(SoftHsmTokens.create("bench"))) {
      EcPrivateKey k = token.keys().generateEcP256(KeySpec.of("bench/ecdh", KeyUsage.DERIVE));
      byte[] peer = P256.multiplyGenerator(Scalar.random(rng)).toUncompressed();
      for (int c : new int[] {1, 2}) {
        System.out.println("SoftHSM2 raw ECDH, " + c + " thread(s): "
            + load(c, secs / 2, (t, i) -> k.ecdhX(peer)));
      }
      // What the fleet channel adds to every call: the member reads the request (one HSM ECDH
      // with the static key, one software multiplication) and writes the answer (two software
      // multiplications); the client's side is two multiplications and is measured apart.
      Point staticPublic = Pkcs11Primitives.publicKey(k);
      dev.bkv.ec.XOnlyEcdh hsm = Pkcs11Primitives.ecdh(k);
      byte[] prologue = "bench".getBytes(UTF_8);
      byte[] request = ChannelInitiator.start(staticPublic, prologue, new byte[100], rng)
          .message();
      for (int c : new int[] {1, 2}) {
        System.out.println("fleet channel, member side with SoftHSM2 static key, " + c
            + " thread(s): " + load(c, secs / 2, (t, i) -> ChannelResponder.accept(hsm::x,
                staticPublic, prologue, request).respond(new byte[300], rng)));
      }
      System.out.println("fleet channel, client side (software), 1 thread: " + load(1,
          secs / 2, (t, i) -> ChannelInitiator.start(staticPublic, prologue, new byte[100], rng)
              .message()));
      TenantSigner tenant = TenantSigner.generate("bench", rng);
      TenantAuthority authority = new TenantAuthority(tenant.publicKeys(), "bench",
          java.time.Duration.ofMinutes(10), java.time.Clock.systemUTC());
      String jwt = tenant.mint("user-1", "bench", java.time.Instant.now(),
          java.time.Duration.ofMinutes(5));
      UserId tokenUser = new UserId("user-1".getBytes(UTF_8));
      System.out.println("tenant token check, 1 thread: " + load(1, secs / 2,
          (t, i) -> authority.authorize(jwt, tokenUser)));
    }

    // -Xlog:gc goes to the member's standard output, i.e. its log: the longest pause is read
    // from there at the end.
    // Members run as test members do (the quick compiler only, the serial collector): in runs
    // this short, three JVMs compiling with C2 on two cores spend more CPU compiling than
    // serving (measured: recover at 1 client 12.7/s with C2 and G1, 21.4/s without).
    List<String> memberJvm = new ArrayList<>(List.of("-Xlog:gc"));
    String extra = System.getenv("BKV_BENCH_MEMBER_JVM_OPTS"); // e.g. a flight recording
    if (extra != null && !extra.isBlank()) {
      memberJvm.addAll(Arrays.asList(extra.trim().split("\\s+")));
    }
    try (VaultFleet fleet = new VaultFleet("bench", new VaultFleet.Options(members, false,
        memberJvm, 500))) {
      fleet.startAll();
      System.out.println(members + " members");
      hsmCallsPerOperation(fleet, backupKey);
      List<VaultClient> clients = new ArrayList<>();
      List<String> ids = fleet.ids();
      for (int r = 0; r < ids.size(); r++) {
        List<String> order = new ArrayList<>(ids.subList(r, ids.size()));
        order.addAll(ids.subList(0, r));
        clients.add(fleet.client(order));
      }
      try (ReplicatedStore store = new ReplicatedStore(fleet.raftClientConfig())) {
        for (int c : levels) {
          System.out.println("Ratis write (Attempt, unknown user), " + c + " clients: "
              + load(c, secs, (t, i) -> store.submit(new Command.Attempt(
                  new UserId(("raft-" + i).getBytes(UTF_8)), System.currentTimeMillis()))));
        }
      }
      AtomicLong next = new AtomicLong();
      List<Long> registered = java.util.Collections.synchronizedList(new ArrayList<>());
      for (int c : levels) {
        System.out.println("register, " + c + " clients: " + load(c, secs, (t, i) -> {
          long u = next.getAndIncrement();
          clients.get(t % clients.size()).register(("user-" + u).getBytes(UTF_8),
              ("pw-" + u).getBytes(UTF_8), backupKey);
          registered.add(u);
        }));
      }
      List<Long> users = List.copyOf(registered);
      double hsmAlone = 0; // HSM ms per recover with one client: the HSM's own work, no queueing
      for (int c : levels) {
        flightRecording(fleet, "start", c);
        java.util.Map<String, double[]> stagesBefore = stages(fleet);
        Work before = Work.now(fleet);
        Result r = load(c, secs, (t, i) -> {
          long u = users.get((int) Math.floorMod(i * 7919L, (long) users.size()));
          clients.get(t % clients.size()).recover(("user-" + u).getBytes(UTF_8),
              ("pw-" + u).getBytes(UTF_8));
        });
        Work used = Work.now(fleet).minus(before);
        flightRecording(fleet, "stop", c);
        double recovers = r.opsPerSec() * secs;
        if (hsmAlone == 0) {
          hsmAlone = used.hsmMs() / recovers;
        }
        System.out.println("recover (right password), " + c + " clients: " + r);
        System.out.println("  " + used.perRecover(recovers, hsmAlone));
        System.out.println("  login stages on the serving member (mean ms): "
            + stageMeans(stagesBefore, stages(fleet)));
      }
      clients.forEach(VaultClient::close);
      for (String id : ids) {
        System.out.println(MemberDisk.measure(fleet.dir(id).resolve("data"), users.size())
            .render(id) + "; longest GC pause " + longestGcPauseMs(fleet.log(id)) + " ms");
      }
    }
  }

  /**
   * CPU and HSM time spent while a load ran: the member processes' CPU (utime + stime from
   * {@code /proc/<pid>/stat}), the HSM time inside the members (the sum of every {@code
   * bkv_hsm_operation} timer) and this process's CPU (the clients).
   */
  record Work(double memberCpuMs, double hsmMs, double clientCpuMs) {
    static Work now(VaultFleet fleet) throws Exception {
      double member = 0;
      for (String id : fleet.ids()) {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc",
            Long.toString(fleet.processes().pid(id)), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        member += (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000.0 / CLOCK_TICKS;
      }
      double client = ((com.sun.management.OperatingSystemMXBean)
          java.lang.management.ManagementFactory.getOperatingSystemMXBean())
          .getProcessCpuTime() / 1e6;
      return new Work(member, hsmSeconds(fleet) * 1000, client);
    }

    Work minus(Work o) {
      return new Work(memberCpuMs - o.memberCpuMs, hsmMs - o.hsmMs, clientCpuMs - o.clientCpuMs);
    }

    /**
     * The efficiency line of the performance goals, and the HSM-bound ceiling this machine's
     * cores allow once the clients' CPU (they share the cores) is counted. {@code hsmAlone}: the
     * HSM time per recover with one client, when nothing waits for the token.
     */
    String perRecover(double recovers, double hsmAlone) {
      double member = memberCpuMs / recovers;
      double client = clientCpuMs / recovers;
      int cores = Runtime.getRuntime().availableProcessors();
      double ceiling = cores * 1000.0 / (hsmAlone + client);
      return String.format("efficiency: member CPU per recover %.2f ms, HSM work per recover "
          + "%.2f ms, ratio %.2f; client CPU per recover %.2f ms; HSM-bound ceiling on %d "
          + "cores %.0f recovers/s (HSM time measured inside the members at this level: %.2f "
          + "ms, queueing included)", member, hsmAlone, member / hsmAlone, client, cores,
          ceiling, hsmMs / recovers);
    }
  }

  /**
   * With {@code BKV_BENCH_PROFILE_DIR} set, a JFR recording (profile settings) of every member
   * for the recover phase at each client level, written there as {@code <member>-<clients>.jfr}.
   */
  private static void flightRecording(VaultFleet fleet, String action, int clients)
      throws Exception {
    String dir = System.getenv("BKV_BENCH_PROFILE_DIR");
    if (dir == null || dir.isBlank()) {
      return;
    }
    for (String id : fleet.ids()) {
      List<String> cmd = new ArrayList<>(List.of(java.nio.file.Path.of(
          System.getProperty("java.home"), "bin", "jcmd").toString(),
          Long.toString(fleet.processes().pid(id)), "JFR." + action, "name=recover"));
      if (action.equals("start")) {
        cmd.add("settings=profile");
      } else {
        cmd.add("filename=" + java.nio.file.Path.of(dir, id + "-" + clients + ".jfr"));
      }
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("jcmd JFR." + action + " failed for " + id);
      }
    }
  }

  /** Jiffies per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
  private static final double CLOCK_TICKS = 100.0;

  /** Per login stage (bkv_login_stage), seconds and count summed over the members. */
  private static java.util.Map<String, double[]> stages(VaultFleet fleet) throws Exception {
    java.util.Map<String, double[]> out = new java.util.LinkedHashMap<>();
    java.util.regex.Pattern line = java.util.regex.Pattern.compile(
        "^bkv_login_stage_seconds_(sum|count)\\{.*stage=\"([^\"]*)\".*\\} ([0-9.eE+-]+)$");
    for (String l : metricLines(fleet)) {
      java.util.regex.Matcher m = line.matcher(l);
      if (m.matches()) {
        double[] v = out.computeIfAbsent(m.group(2), k -> new double[2]);
        v[m.group(1).equals("sum") ? 0 : 1] += Double.parseDouble(m.group(3));
      }
    }
    return out;
  }

  private static String stageMeans(java.util.Map<String, double[]> from,
      java.util.Map<String, double[]> to) {
    StringBuilder b = new StringBuilder();
    double total = 0;
    for (String stage : List.of("attempt-commit", "evaluation", "ke2", "finish-check", "open")) {
      double[] a = from.getOrDefault(stage, new double[2]);
      double[] z = to.getOrDefault(stage, new double[2]);
      double n = z[1] - a[1];
      double ms = n == 0 ? 0 : (z[0] - a[0]) * 1000 / n;
      total += ms;
      b.append(stage).append(' ').append(String.format("%.2f", ms)).append(", ");
    }
    return b.append("sum ").append(String.format("%.2f", total)).toString();
  }

  /** Every line of every member's metrics page. */
  private static List<String> metricLines(VaultFleet fleet) throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    List<String> out = new ArrayList<>();
    for (String id : fleet.ids()) {
      out.addAll(List.of(http.send(java.net.http.HttpRequest.newBuilder(fleet.metricsUri(id))
          .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body().split("\n")));
    }
    return out;
  }

  /** Seconds spent in HSM operations, summed over every member and kind. */
  private static double hsmSeconds(VaultFleet fleet) throws Exception {
    double total = 0;
    java.util.regex.Pattern line = java.util.regex.Pattern.compile(
        "^bkv_hsm_operation_seconds_sum\\{.*\\} ([0-9.eE+-]+)$");
    for (String l : metricLines(fleet)) {
      java.util.regex.Matcher m = line.matcher(l);
      if (m.matches()) {
        total += Double.parseDouble(m.group(1));
      }
    }
    return total;
  }

  /** The longest "Pause ... 12.345ms" line of {@code -Xlog:gc} in a member's log. */
  static double longestGcPauseMs(java.nio.file.Path log) throws java.io.IOException {
    java.util.regex.Pattern pause = java.util.regex.Pattern.compile(
        "Pause .* (\\d+(?:\\.\\d+)?)ms$");
    double max = 0;
    for (String line : java.nio.file.Files.readAllLines(log, UTF_8)) {
      java.util.regex.Matcher m = pause.matcher(line.strip());
      if (m.find()) {
        max = Math.max(max, Double.parseDouble(m.group(1)));
      }
    }
    return max;
  }
}
