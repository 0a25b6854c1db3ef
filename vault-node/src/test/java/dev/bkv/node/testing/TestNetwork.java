package dev.bkv.node.testing;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A private network for a test fleet: each member in its own Linux network namespace, joined to
 * a bridge by a veth pair, on a random 10.x.y.0/24 that never leaves the machine. The test JVM
 * (in the root namespace) reaches every member through the bridge at 10.x.y.254.
 *
 * <p>A link between two members is cut by giving each side a permanent neighbour entry with a
 * MAC address nobody owns: from then on their packets to each other are dropped silently (no
 * RST, no ICMP), as on a real partition, while both still reach the test JVM. Healing deletes
 * the entries and ARP resolves again. Only iproute2 is needed (no iptables or tc actions);
 * creating namespaces needs root.
 */
public final class TestNetwork implements AutoCloseable {
  private static final String NOBODY = "02:00:00:00:0b:";
  private final String tag;
  private final String bridge;
  private final String prefix;
  private final Map<String, Integer> hosts = new LinkedHashMap<>();
  private final Set<Set<String>> cut = new HashSet<>();
  private final List<String> created = new ArrayList<>();

  private TestNetwork(String tag, String prefix) {
    this.tag = tag;
    this.bridge = "bkvb" + tag;
    this.prefix = prefix;
  }

  /** Whether this process may create namespaces (root with iproute2), checked by doing it. */
  public static String unavailableReason() {
    try {
      SecureRandom r = new SecureRandom();
      String ns = "bkvprobe" + Integer.toHexString(r.nextInt(1 << 20));
      run("ip", "netns", "add", ns);
      run("ip", "netns", "del", ns);
      return null;
    } catch (IOException e) {
      return e.getMessage();
    }
  }

  /** Creates the bridge and one namespace per host id (hosts are numbered from 1). */
  public static TestNetwork create(List<String> hostIds) throws IOException {
    SecureRandom r = new SecureRandom();
    String tag = String.format("%06x", r.nextInt(1 << 24));
    String prefix = "10." + (200 + r.nextInt(50)) + "." + r.nextInt(256) + ".";
    TestNetwork n = new TestNetwork(tag, prefix);
    try {
      n.build(hostIds);
      return n;
    } catch (IOException | RuntimeException e) {
      n.close();
      throw e;
    }
  }

  private void build(List<String> hostIds) throws IOException {
    run("ip", "link", "add", bridge, "type", "bridge");
    created.add("link:" + bridge);
    run("ip", "addr", "add", prefix + "254/24", "dev", bridge);
    run("ip", "link", "set", bridge, "up");
    int i = 0;
    for (String id : hostIds) {
      i++;
      String ns = namespace(id);
      run("ip", "netns", "add", ns);
      created.add("netns:" + ns);
      String veth = "bkv" + tag + "v" + i;
      run("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
      created.add("link:" + veth);
      run("ip", "link", "set", veth, "master", bridge, "up");
      run("ip", "-n", ns, "addr", "add", prefix + i + "/24", "dev", "eth0");
      run("ip", "-n", ns, "link", "set", "eth0", "up");
      run("ip", "-n", ns, "link", "set", "lo", "up");
      hosts.put(id, i);
    }
  }

  /** The address of {@code id} inside the test network. */
  public String address(String id) {
    return prefix + number(id);
  }

  /** The command prefix that runs a program inside {@code id}'s namespace. */
  public List<String> exec(String id) {
    number(id);
    return List.of("ip", "netns", "exec", namespace(id));
  }

  /** Silently drops all traffic between {@code a} and {@code b}, both ways. */
  public synchronized void cut(String a, String b) throws IOException {
    if (a.equals(b) || !cut.add(Set.of(a, b))) {
      return;
    }
    blackhole(a, b);
    blackhole(b, a);
  }

  /** Restores the link between {@code a} and {@code b}. */
  public synchronized void heal(String a, String b) throws IOException {
    if (!cut.contains(Set.of(a, b))) {
      return;
    }
    unblackhole(a, b);
    unblackhole(b, a);
    cut.remove(Set.of(a, b));
  }

  private void unblackhole(String from, String to) throws IOException {
    String entry = neighbour(from, to);
    if (entry.contains("PERMANENT")) {
      run("ip", "-n", namespace(from), "neigh", "del", address(to), "dev", "eth0");
    }
  }

  /** What {@code from}'s neighbour table says of {@code to} (for diagnostics). */
  public String neighbour(String from, String to) throws IOException {
    return run("ip", "-n", namespace(from), "neigh", "show", address(to), "dev", "eth0");
  }

  /** Cuts every link between {@code side} and the other hosts. */
  public synchronized void partition(Set<String> side) throws IOException {
    for (String a : side) {
      for (String b : hosts.keySet()) {
        if (!side.contains(b)) {
          cut(a, b);
        }
      }
    }
  }

  /** Heals every cut link. */
  public synchronized void healAll() throws IOException {
    for (Set<String> pair : List.copyOf(cut)) {
      List<String> ab = List.copyOf(pair);
      heal(ab.get(0), ab.get(1));
    }
  }

  /** The links cut now, as unordered pairs. */
  public synchronized Set<Set<String>> cutLinks() {
    return Set.copyOf(cut);
  }

  private void blackhole(String from, String to) throws IOException {
    run("ip", "-n", namespace(from), "neigh", "replace", address(to), "lladdr",
        NOBODY + String.format("%02x", number(to)), "dev", "eth0", "nud", "permanent");
  }

  private int number(String id) {
    Integer n = hosts.get(id);
    if (n == null) {
      throw new IllegalArgumentException("no host " + id + " in this test network");
    }
    return n;
  }

  private String namespace(String id) {
    return "bkv-" + tag + "-" + id;
  }

  private static String run(String... cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + " did not finish in 20 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + String.join(" ", cmd), e);
    }
    String out = new String(p.getInputStream().readAllBytes()).trim();
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + out);
    }
    return out;
  }

  /** Deletes the namespaces and links this network made (veth pairs go with them). */
  @Override
  public synchronized void close() {
    for (int i = created.size() - 1; i >= 0; i--) {
      String what = created.get(i);
      try {
        if (what.startsWith("netns:")) {
          run("ip", "netns", "del", what.substring(6));
        } else {
          run("ip", "link", "del", what.substring(5));
        }
      } catch (IOException e) {
        // A veth disappears with its namespace; anything else is reported but not fatal.
        if (!what.startsWith("link:bkv" + tag + "v")) {
          System.err.println("cannot remove " + what + ": " + e.getMessage());
        }
      }
    }
    created.clear();
  }
}
