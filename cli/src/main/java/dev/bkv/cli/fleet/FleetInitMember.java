package dev.bkv.cli.fleet;

import dev.bkv.ceremony.MemberDescriptor;
import dev.bkv.ceremony.MemberKeys;
import dev.bkv.cli.JsonOutput;
import dev.bkv.cli.JsonOption;
import dev.bkv.cli.TokenOptions;
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

/** {@code bkv fleet init-member}: identity and transport keys on a member token, and its descriptor. */
@Command(name = "init-member", description = {
    "Generate the member's identity key (ECDSA P-256, sign only) and RSA transport key on its token"
        + " (kept if present) and write its descriptor: token info, public keys, proof of possession."})
public final class FleetInitMember implements Callable<Integer> {
  @Mixin TokenOptions token;
  @Spec CommandSpec spec;

  @Option(names = "--member-id", required = true, description = "Member id (A-Z a-z 0-9 . _ -, up to 64).")
  String memberId;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the descriptor (ID.member.json).")
  Path out;

  @Mixin JsonOption json;

  @Override
  public Integer call() throws Exception {
    try (Pkcs11Token t = token.openFor(Role.MEMBER)) {
      MemberDescriptor d = MemberKeys.ensureMember(t, MemberKeys.requireMemberId(memberId));
      d.write(out);
      PrintWriter w = spec.commandLine().getOut();
      if (json.enabled()) {
        w.println(JsonOutput.write(Map.of("memberId", d.memberId(), "identityKey", d.identityKey(),
            "transportKeySha256", d.transportFingerprint(), "descriptor", out.toString())));
      } else {
        w.printf("member %s on token %s: identity key %s%n", d.memberId(), d.token().label(), d.identityKey());
        w.printf("descriptor written to %s%n", out);
      }
      return 0;
    }
  }
}
