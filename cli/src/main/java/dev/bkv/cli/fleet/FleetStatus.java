package dev.bkv.cli.fleet;

import dev.bkv.bundle.EpochReport;
import dev.bkv.bundle.LogAuditor;
import dev.bkv.cli.CliException;
import dev.bkv.cli.ExitCodes;
import dev.bkv.cli.JsonOutput;
import dev.bkv.cli.bundle.BundleCli;
import dev.bkv.transparency.VerifierKey;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bkv fleet status}: every epoch of the log, its members' health and its records. */
@Command(name = "status", description = {
    "Audit the log, then for each epoch list its members (from its bundle), ask each member"
        + " given an endpoint what 'bkv node status' asks (health, member, fleet, epoch, fleet"
        + " key, which must be the bundle's AKE key) and its records per shard; the epoch's"
        + " records are the sum over shards of the highest count a replica reported.",
    "Endpoints: --endpoint EPOCH:MEMBER=HOST:PORT, repeated (or in an @file, one per line)."
        + " Exit 7 if a member does not answer or is not serving, 1 if one answers for another"
        + " member, fleet, epoch or fleet key, or the log has a problem."})
public final class FleetStatus implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--log", required = true, paramLabel = "DIR", description = "The cosigner's log directory.")
  Path log;

  @Option(names = "--cosigner-key", required = true, paramLabel = "VKEY",
      description = "The cosigner's verifier key (or a file holding it).")
  String cosignerKey;

  @Option(names = "--endpoint", paramLabel = "EPOCH:MEMBER=HOST:PORT",
      description = "A member's API address in an epoch, repeated.")
  List<String> endpoints = new ArrayList<>();

  @ArgGroup(exclusive = true, multiplicity = "1")
  Transport transport;

  /** TLS (trusting a CA file) or explicit plaintext. */
  public static final class Transport {
    @Option(names = "--ca", paramLabel = "FILE", description = "PEM CA certificate to trust.")
    Path ca;

    @Option(names = "--plaintext", description = "No TLS (members run with node.plaintext = true).")
    boolean plaintext;
  }

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    VerifierKey key = BundleCli.logKey("--cosigner-key", cosignerKey);
    Map<Long, Map<String, String>> where = parse(endpoints);
    if (!transport.plaintext && !java.nio.file.Files.isReadable(transport.ca)) {
      throw new CliException(ExitCodes.BAD_INPUT, "--ca " + transport.ca + " is not a readable file");
    }
    LogAuditor.Report report = LogAuditor.audit(log, key, null);
    List<Map<String, Object>> out = new ArrayList<>();
    int exit = report.ok() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    for (EpochReport e : report.epochs()) {
      Map<String, String> given = where.getOrDefault(e.epoch(), Map.of());
      List<MemberProbe> probes = new ArrayList<>();
      Map<Integer, Long> perShard = new TreeMap<>();
      for (String line : e.members()) {
        String id = line.substring(0, line.indexOf(' '));
        String at = given.get(id);
        MemberProbe p = at == null ? new MemberProbe(id, null, "no endpoint given", Map.of(), null)
            : MemberProbe.ask(id, at, e.fleetId(), e.epoch(), e.akeKey(),
                transport.plaintext ? null : transport.ca);
        p.shardRecords().forEach((s, n) -> perShard.merge(s, n, Math::max));
        if (at != null && !"SERVING".equals(p.health())) {
          exit = ExitCodes.UNAVAILABLE;
        } else if (at != null && p.problem() != null && exit == ExitCodes.OK) {
          exit = ExitCodes.CHECK_FAILED;
        }
        probes.add(p);
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("epoch", e.epoch());
      m.put("fleetId", e.fleetId());
      m.put("retired", e.retired());
      m.put("records", perShard.isEmpty() ? null : perShard.values().stream()
          .mapToLong(Long::longValue).sum());
      m.put("members", probes);
      out.add(m);
    }
    print(out);
    return exit;
  }

  private void print(List<Map<String, Object>> epochs) {
    PrintWriter w = spec.commandLine().getOut();
    if (json) {
      w.println(JsonOutput.write(Map.of("log", log.toString(), "epochs", epochs)));
    } else {
      for (Map<String, Object> e : epochs) {
        w.printf("epoch %s  fleet %s  %s  records %s%n", e.get("epoch"), e.get("fleetId"),
            e.get("retired") == null ? "active" : "retired " + e.get("retired"),
            e.get("records") == null ? "unknown" : e.get("records"));
        @SuppressWarnings("unchecked")
        List<MemberProbe> members = (List<MemberProbe>) e.get("members");
        for (MemberProbe p : members) {
          w.printf("    %-12s %-22s %-17s %s%s%n", p.memberId(), p.endpoint() == null ? "-"
              : p.endpoint(), p.health(), p.shardRecords().isEmpty() ? ""
              : "records by shard " + p.shardRecords(),
              p.problem() == null ? "" : "  PROBLEM " + p.problem());
        }
      }
    }
    w.flush();
  }

  /** {@code EPOCH:MEMBER=HOST:PORT} options by epoch and member. */
  static Map<Long, Map<String, String>> parse(List<String> options) throws CliException {
    Map<Long, Map<String, String>> out = new TreeMap<>();
    for (String o : options) {
      int colon = o.indexOf(':');
      int eq = o.indexOf('=');
      long epoch;
      try {
        epoch = colon > 0 && eq > colon + 1 ? Long.parseLong(o.substring(0, colon)) : -1;
      } catch (NumberFormatException x) {
        epoch = -1;
      }
      if (epoch < 1 || eq == o.length() - 1) {
        throw new CliException(ExitCodes.USAGE, "--endpoint '" + o
            + "' is not EPOCH:MEMBER=HOST:PORT (e.g. 2:m1=10.0.0.5:7443)");
      }
      out.computeIfAbsent(epoch, k -> new TreeMap<>()).put(o.substring(colon + 1, eq),
          o.substring(eq + 1));
    }
    return out;
  }
}
