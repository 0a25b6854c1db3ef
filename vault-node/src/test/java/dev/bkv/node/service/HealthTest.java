package dev.bkv.node.service;

import dev.bkv.node.api.Tls;
import dev.bkv.node.testing.Polling;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A member's gRPC health status: SERVING in a healthy fleet, NOT_SERVING once it has lost the
 * majority (no leader), SERVING again when a peer comes back.
 */
class HealthTest {
  private static ServingStatus status(ManagedChannel ch) {
    return HealthGrpc.newBlockingStub(ch).withDeadlineAfter(5, java.util.concurrent.TimeUnit.SECONDS)
        .check(HealthCheckRequest.newBuilder().setService("bkv.vault.v1.Vault").build())
        .getStatus();
  }

  @Test
  void notServingWithoutALeaderAndServingAgainWithOne() throws Exception {
    try (VaultFleet fleet = new VaultFleet("health")) {
      fleet.startAll();
      var e = fleet.endpoint("m1");
      ManagedChannel ch = Grpc.newChannelBuilderForAddress(e.host(), e.port(),
          Tls.client(fleet.caPem())).build();
      try {
        Polling.until(Duration.ofSeconds(30), "m1 SERVING",
            () -> status(ch) == ServingStatus.SERVING);
        fleet.kill("m2");
        fleet.kill("m3");
        Polling.until(Duration.ofSeconds(60), "m1 NOT_SERVING without a majority",
            () -> status(ch) == ServingStatus.NOT_SERVING);
        fleet.start("m2");
        Polling.until(Duration.ofSeconds(60), "m1 SERVING again",
            () -> status(ch) == ServingStatus.SERVING);
      } finally {
        ch.shutdownNow();
      }
    }
  }
}
