package dev.bkv.cli.node;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import java.util.concurrent.TimeUnit;

/** Asks a member's standard gRPC health service how the whole member is. */
public final class Health {
  private Health() {}

  /**
   * {@code SERVING}, {@code NOT_SERVING}, or {@code UNIMPLEMENTED} for a member too old to run
   * the health service. Other call failures are thrown.
   */
  public static String check(Channel ch) {
    try {
      return HealthGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
          .check(HealthCheckRequest.newBuilder().setService("").build()).getStatus().name();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
        return "UNIMPLEMENTED";
      }
      throw e;
    }
  }
}
