package dev.bkv.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bkv.cli.CliRun;
import dev.bkv.cli.ExitCodes;
import dev.bkv.node.api.ChannelRequest;
import dev.bkv.node.api.ChannelResponse;
import dev.bkv.node.api.VaultGrpc;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bkv client recover} against a member that refuses with a plain gRPC status: each
 * refusal's exit code, one line on stderr and, with {@code --json}, its typed reason. An
 * expired login session ({@code NOT_FOUND}) and a record changed meanwhile ({@code ABORTED})
 * say to run the command again and exit 9, not 70.
 */
class RefusalExitCodesTest {
  /** The P-256 base point, compressed: a valid fleet key. */
  private static final String FLEET_KEY =
      "036b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296";

  @TempDir static Path dir;
  static Server server;
  static volatile Status refusal = Status.OK;

  @BeforeAll
  static void start() throws Exception {
    server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
        .addService(new VaultGrpc.VaultImplBase() {
          @Override
          public void recoverStart(ChannelRequest r, StreamObserver<ChannelResponse> answer) {
            answer.onError(refusal.withDescription("refused for the test").asRuntimeException());
          }
        }).build().start();
  }

  @AfterAll
  static void stop() {
    server.shutdownNow();
  }

  private static CliRun recover(Status s) throws Exception {
    refusal = s;
    return CliRun.of("client", "recover", "--user", "alice", "--tenant-token",
        "file:" + Files.writeString(dir.resolve("alice.jwt"), "token\n"),
        "--endpoints", "127.0.0.1:" + server.getPort(), "--plaintext", "--fleet-key", FLEET_KEY,
        "--password-file", Files.writeString(dir.resolve("pw"), "pw\n").toString(),
        "--ksf", "identity", "--json");
  }

  private static void expect(Status s, int exit, String reason, String lineEnd) throws Exception {
    CliRun r = recover(s);
    assertEquals(exit, r.exitCode(), r.toString());
    assertEquals(1, r.err().strip().lines().count(), r.toString());
    assertTrue(r.err().strip().endsWith(lineEnd), r.toString());
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertEquals("rejected", j.get("result").asText(), r.out());
    assertEquals(reason, j.get("reason").asText(), r.out());
    assertEquals(s.getCode().name(), j.get("code").asText(), r.out());
    assertEquals(exit, j.get("exitCode").asInt(), r.out());
  }

  @Test
  void anExpiredSessionOrAChangedRecordSaysRunAgain() throws Exception {
    expect(Status.NOT_FOUND, ExitCodes.RETRY, "NO_SESSION", "run the command again");
    expect(Status.ABORTED, ExitCodes.RETRY, "CHANGED", "run the command again");
  }

  @Test
  void otherRefusals() throws Exception {
    expect(Status.RESOURCE_EXHAUSTED, ExitCodes.UNAVAILABLE, "RATE_LIMITED", "try again later");
    expect(Status.UNAUTHENTICATED, ExitCodes.AUTHENTICATION, "UNAUTHORIZED",
        "(refused for the test)");
    expect(Status.INVALID_ARGUMENT, ExitCodes.BAD_INPUT, "BAD_REQUEST", "(refused for the test)");
    expect(Status.INTERNAL, ExitCodes.INTERNAL, "FAULT", "(refused for the test)");
  }
}
