package dev.bkv.cli.bundle;

import dev.bkv.bundle.BundleMember;
import dev.bkv.bundle.BundleVerifier;
import dev.bkv.bundle.ClientState;
import dev.bkv.bundle.ConsistencySource;
import dev.bkv.bundle.CosignedBundle;
import dev.bkv.bundle.EquivocationException;
import dev.bkv.bundle.ValidationBundle;
import dev.bkv.bundle.VerifiedBundle;
import dev.bkv.cli.ExitCodes;
import dev.bkv.cli.JsonOutput;
import dev.bkv.transparency.VerifierKey;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bkv bundle verify}: a client's acceptance rules, with optional persistent state. */
@Command(name = "verify", description = {
    "Accept a cosigned bundle only if: the cosigner's signature verifies under the pinned key;"
        + " the operator's countersignature covers that signature; the inclusion proof puts the"
        + " bundle in a checkpoint signed by the cosigner; its epoch is not below the highest in"
        + " --state (same epoch must mean same text, else EQUIVOCATION, exit 8); the checkpoint"
        + " is consistent with the stored one (proof from --log); with --witness-threshold K, at"
        + " least K of the --witness keys cosigned the checkpoint; now is in the validity window"
        + " (± --skew). --state is updated only on success."})
public final class BundleVerify implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "BUNDLE.cosigned.")
  Path file;

  @Mixin BundleRules rules;

  @Option(names = "--state", paramLabel = "FILE", description = "Client state (created if absent).")
  Path state;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    VerifierKey cosigner = rules.cosigner();
    VerifierKey operator = rules.operator();
    Clock clock = rules.clock();
    Duration allowed = rules.skew();
    try {
      CosignedBundle bundle = CosignedBundle.parse(BundleCli.read("cosigned bundle", file));
      ClientState before = state == null ? null : ClientState.read(state);
      ConsistencySource proofs = rules.log() == null ? null
          : ConsistencySource.fromLog(rules.log(), cosigner);
      VerifiedBundle v = new BundleVerifier(cosigner, operator, clock, allowed,
          rules.witnesses())
          .verify(bundle, before, proofs);
      if (state != null) {
        v.state().write(state);
      }
      print(v);
    } catch (EquivocationException e) {
      throw BundleCli.equivocation(e, state);
    }
    return ExitCodes.OK;
  }

  private void print(VerifiedBundle v) {
    ValidationBundle b = v.bundle();
    var w = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("valid", true);
      m.put("fleetId", b.fleetId());
      m.put("epoch", b.epoch());
      m.put("notBefore", b.notBefore().toString());
      m.put("notAfter", b.notAfter().toString());
      m.put("bundleSha256", b.hash().toHex());
      m.put("evidenceSha256", b.evidence().toHex());
      m.put("akeKey", b.akeKey());
      Map<String, String> members = new LinkedHashMap<>();
      b.members().forEach(mm -> members.put(mm.id(), mm.identityKey()));
      m.put("members", members);
      m.put("checkpointSize", v.checkpoint().size());
      m.put("highestEpochSeen", v.state().epoch());
      w.println(JsonOutput.write(m));
      return;
    }
    w.printf("bundle verified: fleet %s epoch %d, valid %s .. %s%n", b.fleetId(), b.epoch(),
        b.notBefore(), b.notAfter());
    w.printf("  cosigner and operator signatures ok; included in checkpoint of size %d%n",
        v.checkpoint().size());
    w.printf("  ake %s%n", b.akeKey());
    for (BundleMember m : b.members()) {
      w.printf("  member %s %s%n", m.id(), m.identityKey());
    }
    w.printf("  evidence sha256 %s%n", b.evidence().toHex());
    w.flush();
  }
}
