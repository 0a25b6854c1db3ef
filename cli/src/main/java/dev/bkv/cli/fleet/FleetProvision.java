package dev.bkv.cli.fleet;

import dev.bkv.ceremony.Ceremony;
import dev.bkv.ceremony.FaultInjector;
import dev.bkv.cli.JsonOutput;
import dev.bkv.cli.Preflight;
import dev.bkv.evidence.EvidenceVerifier;
import dev.bkv.evidence.SoftwareVersion;
import dev.bkv.evidence.VerificationReport;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.check.Role;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bkv fleet provision}: the whole ceremony with every token reachable from this process. */
@Command(name = "provision", description = {
    "Run the key ceremony with every token reachable from this process (one SOFTHSM2_CONF):"
        + " fleet keys on the genesis, trusted transfer to each member, seal, cleanup, read-back,"
        + " and DIR/evidence.dsse.json signed by every member and the operator.",
    "A failure before the seal rolls back; running the same command again is safe."})
public final class FleetProvision implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--fleet-id", required = true, description = "Fleet id (a-z 0-9 . _ -, up to 32).")
  String fleetId;

  @Option(names = "--epoch", required = true, description = "Fleet epoch (0 or more).")
  long epoch;

  @Option(names = "--genesis", required = true, paramLabel = "FILE", description = "Config of the genesis token (needs pkcs11.so-pin).")
  Path genesis;

  @Option(names = "--member", arity = "1..*", paramLabel = "FILE", description = "Configs of the other member tokens (the genesis is a member too; listing it again is harmless).")
  List<Path> members = new ArrayList<>();

  @Option(names = "--operator", required = true, paramLabel = "FILE", description = "Config of the operator's token.")
  Path operator;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for evidence.dsse.json.")
  Path out;

  @Option(names = "--restart", description = "Destroy a sealed but incomplete fleet of this id on the listed tokens and start over.")
  boolean restart;

  @Option(names = "--time", paramLabel = "INSTANT", description = "Evidence time (ISO-8601) instead of now, for reproducible evidence.")
  String time;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    try (Tokens tokens = new Tokens()) {
      Pkcs11Token g = tokens.open(genesis);
      List<Pkcs11Token> ms = new ArrayList<>();
      for (Path m : members) {
        ms.add(tokens.open(m));
      }
      Pkcs11Token op = tokens.open(operator);
      Preflight.require(g, Role.GENESIS);
      for (Pkcs11Token m : ms) {
        Preflight.require(m, Role.MEMBER);
      }
      Preflight.require(op, Role.OPERATOR);
      Ceremony ceremony = new Ceremony(Tokens.clock(time), Progress.to(spec.commandLine().getErr()),
          FaultInjector.NONE, SoftwareVersion.running());
      Ceremony.Result r = ceremony.run(new Ceremony.Request(fleetId, epoch, g, ms, op, restart));
      Files.createDirectories(out);
      Path file = out.resolve("evidence.dsse.json");
      r.evidence().write(file);
      VerificationReport report = EvidenceVerifier.verify(r.evidence()).requireValid();
      PrintWriter w = spec.commandLine().getOut();
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fleetId", fleetId);
        m.put("epoch", epoch);
        m.put("members", report.payload().members().size());
        m.put("alreadyProvisioned", r.reused());
        m.put("evidence", file.toString());
        w.println(JsonOutput.write(m));
      } else {
        w.printf("fleet %s epoch %d provisioned on %d members%s; evidence: %s%n", fleetId, epoch,
            report.payload().members().size(), r.reused() ? " (already complete; read back only)" : "", file);
      }
      return 0;
    }
  }
}
