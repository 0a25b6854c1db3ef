package dev.bkv.node.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bkv.node.testing.Polling;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.protobuf.services.HealthStatusManager;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The health service follows the member's check, for the whole server and the vault API. */
class HealthReporterTest {
  private static ServingStatus status(ManagedChannel ch, String service) {
    return HealthGrpc.newBlockingStub(ch).check(HealthCheckRequest.newBuilder()
        .setService(service).build()).getStatus();
  }

  @Test
  void followsTheCheckAndSaysSoOnEveryService() throws Exception {
    AtomicBoolean ok = new AtomicBoolean(false);
    HealthStatusManager manager = new HealthStatusManager();
    Server server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
        .addService(manager.getHealthService()).build().start();
    ManagedChannel ch = Grpc.newChannelBuilderForAddress("127.0.0.1", server.getPort(),
        InsecureChannelCredentials.create()).build();
    try (HealthReporter r = HealthReporter.start(manager, List.of("bkv.vault.v1.Vault"),
        ok::get, 60_000)) {
      assertEquals(ServingStatus.NOT_SERVING, status(ch, ""));
      assertEquals(ServingStatus.NOT_SERVING, status(ch, "bkv.vault.v1.Vault"));
      ok.set(true); // while not serving, re-checked within RETRY_MS
      Polling.until(Duration.ofSeconds(5), "SERVING", () -> status(ch, "") == ServingStatus.SERVING);
      assertEquals(ServingStatus.SERVING, status(ch, "bkv.vault.v1.Vault"));
      ok.set(false);
      r.update(); // the long interval would wait a minute
      assertEquals(ServingStatus.NOT_SERVING, status(ch, ""));
    } finally {
      ch.shutdownNow();
      server.shutdownNow();
    }
  }

  @Test
  void aThrowingCheckMeansNotServing() throws Exception {
    HealthStatusManager manager = new HealthStatusManager();
    try (HealthReporter r = HealthReporter.start(manager, List.of(), () -> {
      throw new IllegalStateException("token gone");
    }, 60_000)) {
      assertEquals(false, r.serving());
    }
  }
}
