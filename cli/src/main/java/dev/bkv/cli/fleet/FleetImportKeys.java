package dev.bkv.cli.fleet;

import dev.bkv.ceremony.MemberDescriptor;
import dev.bkv.ceremony.SplitCeremony;
import dev.bkv.ceremony.WrappedKeys;
import dev.bkv.cli.JsonOutput;
import dev.bkv.cli.JsonOption;
import dev.bkv.cli.TokenOptions;
import dev.bkv.evidence.MemberReadback;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.check.Role;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bkv fleet import-keys}: the member side of the split ceremony. */
@Command(name = "import-keys", description = {
    "Member side of the split ceremony: check the genesis signature on the wrapped keys, unwrap"
        + " them into this member's token as non-extractable, and write its signed read-back for"
        + " the operator ('evidence prepare'). Safe to repeat."})
public final class FleetImportKeys implements Callable<Integer> {
  @Mixin TokenOptions token;
  @Spec CommandSpec spec;

  @Option(names = "--keys", required = true, paramLabel = "FILE", description = "This member's ID.keys.json from 'export-keys'.")
  Path keys;

  @Option(names = "--genesis-descriptor", required = true, paramLabel = "FILE", description = "The genesis member's descriptor.")
  Path genesis;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the read-back (ID.readback.json).")
  Path out;

  @Mixin JsonOption json;

  @Override
  public Integer call() throws Exception {
    try (Pkcs11Token t = token.openFor(Role.MEMBER)) {
      MemberDescriptor g = MemberDescriptor.read(genesis);
      WrappedKeys w = WrappedKeys.read(keys);
      MemberReadback rb = SplitCeremony.importKeys(t, w, g.identityKey(),
          Progress.to(spec.commandLine().getErr()));
      rb.write(out);
      PrintWriter o = spec.commandLine().getOut();
      if (json.enabled()) {
        o.println(JsonOutput.write(Map.of("memberId", w.memberId(), "fleetId", w.fleetId(),
            "epoch", w.epoch(), "readback", out.toString())));
      } else {
        o.printf("member %s holds the keys of fleet %s epoch %d; read-back: %s%n", w.memberId(),
            w.fleetId(), w.epoch(), out);
      }
      return 0;
    }
  }
}
