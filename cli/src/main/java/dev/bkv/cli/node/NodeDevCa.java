package dev.bkv.cli.node;

import dev.bkv.cli.ExitCodes;
import dev.bkv.node.api.DevCa;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bkv node dev-ca}: a development CA and TLS certificates for members. */
@Command(name = "dev-ca", description = {
    "Create a development CA and a TLS certificate per member (dev and demo only; production",
    "fleets use their own PKI). Writes DIR/ca.pem, DIR/ca-key.pem and DIR/<id>.pem +",
    "DIR/<id>-key.pem; names: <id>, localhost, 127.0.0.1 and each --host."})
public final class NodeDevCa implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  Path out;

  @Option(names = "--node", required = true, arity = "1..*", paramLabel = "ID",
      description = "Member ids to issue certificates for.")
  List<String> nodes;

  @Option(names = "--host", paramLabel = "NAME", description = "Extra DNS name or IP address.")
  List<String> hosts = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    for (Path p : DevCa.create(out, nodes, hosts, new SecureRandom())) {
      spec.commandLine().getOut().println("wrote " + p);
    }
    return ExitCodes.OK;
  }
}
