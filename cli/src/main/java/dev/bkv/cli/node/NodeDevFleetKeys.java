package dev.bkv.cli.node;

import dev.bkv.cli.ExitCodes;
import dev.bkv.cli.TokenOptions;
import dev.bkv.node.service.DevFleetKeys;
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
    "DEVELOPMENT ONLY: put fleet keys fleet/<id>/{oprf,oprf-seed,ake,record} on the token",
    "from a secrets file (created with fresh random secrets if missing, mode 600). Run it on",
    "every member token with the same file so all members agree. The secrets exist outside",
    "any HSM while this runs: real fleets use the ceremony (bkv fleet provision).",
    "Prints the fleet's AKE public key (what clients pin)."})
public final class NodeDevFleetKeys implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TokenOptions token;

  @Option(names = "--fleet-id", required = true, description = "Fleet id (key label prefix).")
  String fleetId;

  @Option(names = "--secrets", required = true, paramLabel = "FILE",
      description = "Hex file of the fleet secrets (created if missing).")
  Path secrets;

  @Override
  public Integer call() throws Exception {
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
      if (DevFleetKeys.present(t, fleetId)) {
        spec.commandLine().getErr().println("fleet " + fleetId + " keys already on the token");
      } else {
        DevFleetKeys.importInto(t, fleetId, s);
      }
    }
    spec.commandLine().getOut().println(HexFormat.of().formatHex(s.akePublicKey()
        .toCompressed()));
    return ExitCodes.OK;
  }
}
