package dev.bkv.cli.node;

import dev.bkv.cli.ExitCodes;
import dev.bkv.cli.TokenOptions;
import dev.bkv.evidence.FleetKey;
import dev.bkv.evidence.ShareLayout;
import dev.bkv.node.service.DevFleetKeys;
import dev.bkv.cli.CliException;
import java.util.List;
import dev.bkv.pkcs11.Pkcs11Token;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bkv node dev-fleet-keys}: the same software-made fleet keys on a member token. */
@Command(name = "dev-fleet-keys", description = {
    "DEVELOPMENT ONLY: put fleet keys fleet/<id>/{oprf,oprf-seed,ake,record} and the group",
    "wrap keys of the member's OPRF share sets (fleet/<id>/oprf-share/*) on the token",
    "from a secrets file (created with fresh random secrets if missing, mode 600). Run it on",
    "every member token with the same file so all members agree. The secrets exist outside",
    "any HSM while this runs: real fleets use the ceremony (bkv fleet provision).",
    "Prints the fleet's AKE public key (what clients pin)."})
public final class NodeDevFleetKeys implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TokenOptions token;

  @Option(names = "--fleet-id", required = true, description = "Fleet id (key label prefix).")
  String fleetId;

  @Option(names = "--epoch", defaultValue = "1", description = "Fleet epoch (default 1);"
      + " epoch 2 and later use the key labels fleet/<id>@<epoch>/*.")
  long epoch;

  @Option(names = "--secrets", required = true, paramLabel = "FILE",
      description = "Hex file of the fleet secrets (created if missing).")
  Path secrets;

  @Option(names = "--member", required = true, paramLabel = "ID",
      description = "This token's member id (node.id).")
  String member;

  @Option(names = "--members", required = true, split = ",", paramLabel = "ID[,ID...]",
      description = "Every member id of the fleet (the ids in node.peers).")
  List<String> members;

  @Override
  public Integer call() throws Exception {
    ShareLayout layout;
    String space;
    try {
      space = FleetKey.space(fleetId, epoch);
      layout = new ShareLayout(fleetId, epoch, members);
      layout.heldBy(member);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.BAD_INPUT, e.getMessage());
    }
    DevFleetKeys.Secrets s;
    if (Files.exists(secrets)) {
      s = DevFleetKeys.Secrets.fromHex(Files.readString(secrets));
    } else {
      s = DevFleetKeys.Secrets.generate(new SecureRandom());
      Files.createFile(secrets, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
      Files.writeString(secrets, s.toHex());
    }
    try (Pkcs11Token t = token.open()) {
      if (DevFleetKeys.present(t, space)) {
        spec.commandLine().getErr().println("fleet " + fleetId + " epoch " + epoch
            + " keys already on the token");
      } else {
        DevFleetKeys.importInto(t, space, s);
        DevFleetKeys.importShareKeys(t, layout, member, s);
      }
    }
    spec.commandLine().getOut().println(HexFormat.of().formatHex(s.akePublicKey()
        .toCompressed()));
    return ExitCodes.OK;
  }
}
