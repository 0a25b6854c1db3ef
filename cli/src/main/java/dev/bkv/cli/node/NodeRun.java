package dev.bkv.cli.node;

import dev.bkv.cli.ExitCodes;
import dev.bkv.cli.Preflight;
import dev.bkv.node.service.NodeMain;
import dev.bkv.pkcs11.Pkcs11Config;
import dev.bkv.pkcs11.check.Role;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bkv node run}: one member until SIGTERM. */
@Command(
    name = "run",
    description = {
      "Run one fleet member until stopped (SIGTERM stops it cleanly).",
      "The config holds pkcs11.* keys for the member's token and node.* keys for Raft and the",
      "gRPC API (node.listen, node.fleet-id, node.tls.cert/key or node.plaintext = true,",
      "node.tenant.keys; see vault-node/README.md). Prints 'ready <member-id> <port>' once",
      "serving."
    })
public final class NodeRun implements Callable<Integer> {
  @Option(names = "--config", required = true, paramLabel = "FILE",
      description = "Member config (pkcs11.* and node.* keys).")
  Path config;

  @Override
  public Integer call() throws Exception {
    // the same preflight as `bkv token check --role member`, before Raft or the API start
    Preflight.require(Pkcs11Config.load(config), Role.MEMBER);
    NodeMain.runUntilStopped(config);
    return ExitCodes.OK;
  }
}
