package dev.bkv.cli.fleet;

import dev.bkv.ceremony.MemberDescriptor;
import dev.bkv.ceremony.MemberKeys;
import dev.bkv.ceremony.SplitCeremony;
import dev.bkv.ceremony.WrappedKeys;
import dev.bkv.cli.JsonOutput;
import dev.bkv.cli.TokenOptions;
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
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bkv fleet export-keys}: the genesis side of the split ceremony. */
@Command(name = "export-keys", description = {
    "Genesis side of the split ceremony: generate the fleet keys and the group wrap keys of the"
        + " OPRF key shares (one per set of the layout over the genesis and the descriptors), wrap"
        + " for each member descriptor the fleet keys and the group wrap keys it holds"
        + " (DIR/ID.keys.json, readable only by that member's HSM), destroy the group wrap keys the"
        + " genesis must not hold, seal, clean up, and"
        + " write the genesis descriptor (DIR/ID.member.json) and read-back (DIR/ID.readback.json)."})
public final class FleetExportKeys implements Callable<Integer> {
  @Mixin TokenOptions token;
  @Spec CommandSpec spec;

  @Option(names = "--fleet-id", required = true, description = "Fleet id.")
  String fleetId;

  @Option(names = "--epoch", required = true, description = "Fleet epoch.")
  long epoch;

  @Option(names = "--member-descriptor", arity = "1..*", required = true, paramLabel = "FILE",
      description = "Descriptors of the other members (from 'fleet init-member').")
  List<Path> descriptors = new ArrayList<>();

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  Path out;

  @Option(names = "--restart", description = "Destroy this fleet's sealed keys on the genesis and start over.")
  boolean restart;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    try (Pkcs11Token t = token.openFor(Role.GENESIS)) {
      List<MemberDescriptor> ds = new ArrayList<>();
      for (Path p : descriptors) {
        ds.add(MemberDescriptor.read(p));
      }
      MemberDescriptor self = MemberKeys.ensureMember(t, null);
      SplitCeremony.Export export = SplitCeremony.exportKeys(t, fleetId, epoch, ds, restart,
          Progress.to(spec.commandLine().getErr()));
      Files.createDirectories(out);
      List<String> files = new ArrayList<>();
      for (WrappedKeys w : export.wrapped()) {
        Path f = out.resolve(w.memberId() + ".keys.json");
        w.write(f);
        files.add(f.toString());
      }
      Path desc = out.resolve(self.memberId() + ".member.json");
      self.write(desc);
      Path rb = out.resolve(self.memberId() + ".readback.json");
      export.genesis().write(rb);
      PrintWriter w = spec.commandLine().getOut();
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("genesis", self.memberId());
        m.put("wrappedKeys", files);
        m.put("genesisDescriptor", desc.toString());
        m.put("readback", rb.toString());
        w.println(JsonOutput.write(m));
      } else {
        w.printf("fleet %s epoch %d: keys wrapped for %d members and sealed on %s%n", fleetId, epoch,
            files.size(), self.memberId());
        files.forEach(f -> w.printf("  %s%n", f));
        w.printf("genesis descriptor %s, read-back %s%n", desc, rb);
      }
      return 0;
    }
  }
}
