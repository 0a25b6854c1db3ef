package dev.bkv.cli.node;

import com.google.protobuf.ByteString;
import dev.bkv.cli.CliException;
import dev.bkv.cli.ExitCodes;
import dev.bkv.cli.JsonOutput;
import dev.bkv.client.Endpoint;
import dev.bkv.node.api.StatusRequest;
import dev.bkv.node.api.StatusResponse;
import dev.bkv.node.api.Tls;
import dev.bkv.node.api.VaultGrpc;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bkv node status}: what one member says about itself and the fleet. */
@Command(name = "status", description = {
    "Show a member's health (the standard gRPC health service), id, fleet, epoch, fleet key",
    "and shard leaders (and, with --user, its OPRF evaluations for that user). With --metrics,",
    "also its key figures from its Prometheus endpoint, per shard: Raft role, term, commit and",
    "applied index, snapshot index and age, whether it is rejoining after losing its storage",
    "and, on the leader, each peer's match index and lag; and its login counters.",
    "Exit code 7 (unavailable) when the member does not answer or is NOT_SERVING."})
public final class NodeStatus implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--endpoint", required = true, paramLabel = "HOST:PORT",
      description = "The member's API address.")
  String endpoint;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Transport transport;

  /** TLS (trusting a CA file) or explicit plaintext. */
  public static final class Transport {
    @Option(names = "--ca", paramLabel = "FILE", description = "PEM CA certificate to trust.")
    Path ca;

    @Option(names = "--plaintext", description = "No TLS (only for members run with "
        + "node.plaintext = true).")
    boolean plaintext;
  }

  @Option(names = "--user", description = "Also report this member's evaluations for USER "
      + "(members answer only with node.status.user-evaluations = true).")
  String user;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Option(names = "--metrics", paramLabel = "URL", description = "The member's metrics "
      + "endpoint (node.metrics.listen), e.g. http://10.0.0.5:9464/metrics or 10.0.0.5:9464.")
  String metrics;

  @Override
  public Integer call() throws Exception {
    Endpoint e = parse(endpoint);
    ManagedChannel ch = Grpc.newChannelBuilderForAddress(e.host(), e.port(),
        Tls.client(transport.plaintext ? null : transport.ca)).build();
    try {
      StatusRequest.Builder req = StatusRequest.newBuilder();
      if (user != null) {
        req.setUserId(ByteString.copyFrom(user, StandardCharsets.UTF_8));
      }
      String health = Health.check(ch);
      StatusResponse s = VaultGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
          .status(req.build());
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("health", health);
      m.put("member", s.getMemberId());
      m.put("fleetId", s.getFleetId());
      m.put("epoch", s.getEpoch());
      m.put("fleetKey", HexFormat.of().formatHex(s.getFleetPublicKey().toByteArray()));
      m.put("attemptLimit", s.getAttemptLimit());
      m.put("shardLeaders", s.getShardLeadersMap());
      m.put("shardRecords", s.getShardRecordsMap());
      if (user != null) {
        m.put("loginEvaluations", s.getLoginEvaluations());
      }
      if (metrics != null) {
        m.putAll(KeyFigures.scrape(metrics));
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(JsonOutput.write(m));
      } else {
        m.forEach((k, v) -> out.printf("%-17s %s%n", k, v));
      }
      return health.equals("SERVING") ? ExitCodes.OK : ExitCodes.UNAVAILABLE;
    } catch (StatusRuntimeException x) {
      int code = switch (x.getStatus().getCode()) {
        case INVALID_ARGUMENT -> ExitCodes.BAD_INPUT;
        // --user against a member that does not answer per-user queries
        case PERMISSION_DENIED -> ExitCodes.USAGE;
        default -> ExitCodes.UNAVAILABLE;
      };
      throw new CliException(code, endpoint + ": " + x.getStatus().getCode()
          + (x.getStatus().getDescription() == null ? "" : " (" + x.getStatus().getDescription()
          + ")"), x);
    } finally {
      ch.shutdownNow();
    }
  }

  static Endpoint parse(String s) throws CliException {
    try {
      return Endpoint.parse(s);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
    }
  }
}
