package dev.bkv.cli.evidence;

import dev.bkv.cli.JsonOutput;
import dev.bkv.cli.fleet.Tokens;
import dev.bkv.evidence.Envelope;
import dev.bkv.evidence.EvidencePayload;
import dev.bkv.evidence.EvidenceVerifier;
import dev.bkv.evidence.FleetKeyValue;
import dev.bkv.evidence.LiveCheck;
import dev.bkv.evidence.MemberSection;
import dev.bkv.evidence.ShareKeyValue;
import dev.bkv.evidence.VerificationReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bkv evidence verify}: every signature, the schema, the end state, optionally live tokens. */
@Command(name = "verify", description = {
    "Verify deployment evidence: payload type and schema, every member's and the operator's DSSE"
        + " signature, proofs of possession, and the end-state rules. With --live, re-read those"
        + " tokens (matched by serial) and compare. Exit 1 naming the first problem on failure."})
public final class EvidenceVerify implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The evidence envelope (evidence.dsse.json).")
  Path file;

  @Option(names = "--live", arity = "1..*", paramLabel = "CFG", description = "Configs of member tokens to compare with the evidence.")
  List<Path> live = new ArrayList<>();

  @Option(names = "--json", description = "Print JSON (also on failure, before the one-line error).")
  boolean json;

  @Override
  public Integer call() throws Exception {
    VerificationReport report = EvidenceVerifier.verify(Envelope.read(file));
    List<String> liveProblems = new ArrayList<>();
    List<String> livePassed = new ArrayList<>();
    try (Tokens tokens = new Tokens()) {
      for (Path cfg : live) {
        var t = tokens.open(cfg);
        List<String> diff = LiveCheck.compare(report.payload(), t);
        liveProblems.addAll(diff);
        if (diff.isEmpty()) {
          livePassed.add("live token " + t.info().label() + " matches the evidence");
        }
      }
    }
    VerificationReport all = new VerificationReport(report.payload(),
        concat(report.passed(), livePassed), concat(report.problems(), liveProblems), report.notes());
    print(all);
    all.requireValid();
    return 0;
  }

  private void print(VerificationReport r) {
    PrintWriter w = spec.commandLine().getOut();
    EvidencePayload p = r.payload();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("valid", r.valid());
      m.put("fleetId", p.fleetId());
      m.put("epoch", p.epoch());
      m.put("time", p.time());
      m.put("software", p.software());
      m.put("members", p.members().stream().map(s -> s.statement().memberId()).toList());
      m.put("fleetKeys", p.members().isEmpty() ? List.of() : p.members().get(0).statement().fleetKeys());
      m.put("shareKeys", shareKeys(p).values());
      m.put("passed", r.passed());
      m.put("problems", r.problems());
      m.put("notes", r.notes());
      w.println(JsonOutput.write(m));
      w.flush();
      return;
    }
    w.printf("evidence for fleet %s epoch %d, %s, software %s (%s)%n", p.fleetId(), p.epoch(), p.time(),
        p.software().sha256(), p.software().artifact());
    for (MemberSection s : p.members()) {
      w.printf("  member %-12s %-8s token %s serial %s (%s %s), %d objects%n", s.statement().memberId(),
          s.statement().role(), s.statement().token().label(), s.statement().token().serial(),
          s.statement().token().manufacturer(), s.statement().token().model(), s.statement().inventory().size());
    }
    if (!p.members().isEmpty()) {
      for (FleetKeyValue v : p.members().get(0).statement().fleetKeys()) {
        w.printf("  %-22s %-14s %s %s%n", v.label(), v.keyType(), v.check(), v.fingerprint());
      }
    }
    for (ShareSetView v : shareKeys(p).values()) {
      w.printf("  %-22s held by %-20s %s %s%n", v.label(), String.join(",", v.holders()),
          ShareKeyValue.CHECK, v.checkValues().size() == 1 ? v.checkValues().get(0) : v.checkValues());
    }
    r.passed().forEach(s -> w.printf("  ok   %s%n", s));
    r.notes().forEach(s -> w.printf("  note %s%n", s));
    r.problems().forEach(s -> w.printf("  FAIL %s%n", s));
    w.printf("%s%n", r.valid() ? "evidence verified" : "evidence INVALID");
    w.flush();
  }

  /** One group wrap key as the members list it: who holds it and the check values they give. */
  record ShareSetView(String set, String label, List<String> holders, List<String> checkValues) {}

  /** The group wrap keys by set, with their holders in member order and distinct check values. */
  private static Map<String, ShareSetView> shareKeys(EvidencePayload p) {
    Map<String, ShareSetView> out = new TreeMap<>();
    for (MemberSection s : p.members()) {
      for (ShareKeyValue v : s.statement().shareKeys()) {
        ShareSetView view = out.computeIfAbsent(v.set(),
            k -> new ShareSetView(v.set(), v.label(), new ArrayList<>(), new ArrayList<>()));
        view.holders().add(s.statement().memberId());
        if (!view.checkValues().contains(v.checkValue())) {
          view.checkValues().add(v.checkValue());
        }
      }
    }
    return out;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
