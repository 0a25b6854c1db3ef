package dev.bkv.cli.fleet;

import dev.bkv.cli.JsonOption;
import dev.bkv.cli.JsonOutput;
import dev.bkv.cli.TokenOptions;
import dev.bkv.evidence.Envelope;
import dev.bkv.evidence.Json;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.check.Role;
import dev.bkv.retirement.MemberRetirement;
import dev.bkv.retirement.RetirementReadback;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bkv fleet retire-member}: the member side of retiring an epoch. */
@Command(name = "retire-member", description = {
    "On a member's host: destroy every object of the epoch's keys (fleet/ID/ for epoch 1,"
        + " fleet/ID@E/ after) in this token, read the token back and write the read-back,"
        + " signed in the HSM by the member identity key, for 'bkv fleet retire'.",
    "Refused when the token holds no key of the epoch, unless FILE already holds this member's"
        + " read-back of it: then it only reads back again (safe to repeat after a crash)."})
public final class FleetRetireMember implements Callable<Integer> {
  @Mixin TokenOptions token;
  @Spec CommandSpec spec;

  @Option(names = "--fleet-id", required = true, description = "Fleet id.")
  String fleetId;

  @Option(names = "--epoch", required = true, description = "The epoch to retire (1 or more).")
  long epoch;

  @Option(names = "--out", required = true, paramLabel = "FILE",
      description = "The signed read-back (ID.retired.json); also the journal of a retirement under way.")
  Path out;

  @Option(names = "--time", paramLabel = "INSTANT", description = "Read-back time (ISO-8601) instead of now.")
  String time;

  @Mixin JsonOption json;

  @Override
  public Integer call() throws Exception {
    try (Pkcs11Token t = token.openFor(Role.MEMBER)) {
      Envelope earlier = Files.exists(out) ? Envelope.read(out) : null;
      Envelope rb = MemberRetirement.retire(t, fleetId, epoch, Tokens.clock(time), earlier,
          env -> env.write(out));
      rb.write(out);
      RetirementReadback p = Json.parse(rb.payloadBytes(), RetirementReadback.class, "read-back");
      PrintWriter o = spec.commandLine().getOut();
      if (json.enabled()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("memberId", p.memberId());
        m.put("fleetId", fleetId);
        m.put("epoch", epoch);
        m.put("destroyed", p.destroyed());
        m.put("otherEpochKeys", p.otherEpochKeys());
        m.put("readback", out.toString());
        o.println(JsonOutput.write(m));
      } else {
        o.printf("member %s: %d objects under %s destroyed, none left; %d keys of other epochs"
            + " remain; read-back: %s%n", p.memberId(), p.destroyed().size(), p.prefix(),
            p.otherEpochKeys().size(), out);
      }
      return 0;
    }
  }
}
