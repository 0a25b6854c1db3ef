package dev.bkv.cli.evidence;

import dev.bkv.ceremony.SplitCeremony;
import dev.bkv.cli.fleet.Tokens;
import dev.bkv.evidence.Envelope;
import dev.bkv.evidence.MemberReadback;
import dev.bkv.evidence.SoftwareVersion;
import dev.bkv.pkcs11.Pkcs11Token;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bkv evidence prepare}: the operator combines the members' read-backs. */
@Command(name = "prepare", description = {
    "Split ceremony, operator side: combine the members' signed read-backs into an unsigned"
        + " evidence envelope (checking proofs of possession and the end-state rules). Then each"
        + " member and the operator run 'evidence sign'."})
public final class EvidencePrepare implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--operator", required = true, paramLabel = "FILE", description = "Config of the operator's token (operator/countersign is created if missing).")
  Path operator;

  @Option(names = "--fleet-id", required = true, description = "Fleet id.")
  String fleetId;

  @Option(names = "--epoch", required = true, description = "Fleet epoch.")
  long epoch;

  @Option(names = "--readback", arity = "1..*", required = true, paramLabel = "FILE", description = "Read-backs: the genesis's first, then the members'.")
  List<Path> readbacks = new ArrayList<>();

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the unsigned envelope.")
  Path out;

  @Option(names = "--time", paramLabel = "INSTANT", description = "Evidence time (ISO-8601) instead of now.")
  String time;

  @Override
  public Integer call() throws Exception {
    try (Tokens tokens = new Tokens()) {
      List<MemberReadback> rbs = new ArrayList<>();
      for (Path p : readbacks) {
        rbs.add(MemberReadback.read(p));
      }
      Pkcs11Token op = tokens.open(operator);
      Envelope env = SplitCeremony.prepareEvidence(op, fleetId, epoch, rbs,
          Tokens.clock(time).instant(), SoftwareVersion.running());
      if (out.getParent() != null) {
        Files.createDirectories(out.getParent());
      }
      env.write(out);
      spec.commandLine().getOut().printf("unsigned evidence for fleet %s epoch %d (%d members) written to %s%n",
          fleetId, epoch, rbs.size(), out);
      return 0;
    }
  }
}
