package dev.bkv.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.nio.channels.ClosedChannelException;
import org.junit.jupiter.api.Test;

/** Which gRPC failures make the client try the next member, and which are the member's answer. */
class FailoverErrorsTest {
  private static final Endpoint AT = new Endpoint("127.0.0.1", 7001);

  private static VaultClientException map(Status s) {
    return VaultClient.map(s.asRuntimeException(), AT);
  }

  @Test
  void transportFailuresFailOver() {
    assertInstanceOf(UnavailableException.class, map(Status.UNAVAILABLE));
    assertInstanceOf(UnavailableException.class, map(Status.DEADLINE_EXCEEDED));
    // What the client sees when the member is killed under a call.
    VaultClientException closed = map(Status.UNKNOWN.withDescription("channel closed")
        .withCause(new ClosedChannelException()));
    assertInstanceOf(UnavailableException.class, closed);
    assertTrue(closed.getMessage().contains("127.0.0.1:7001")
        && closed.getMessage().contains("UNKNOWN (channel closed)"), closed.getMessage());
  }

  @Test
  void theMembersAnswersAreRejections() {
    RejectedException unknownFromServer = assertInstanceOf(RejectedException.class,
        map(Status.UNKNOWN.withDescription("handler failed")));
    assertEquals("UNKNOWN", unknownFromServer.code());
    assertEquals("ALREADY_EXISTS", assertInstanceOf(RejectedException.class,
        map(Status.ALREADY_EXISTS)).code());
    assertEquals("INVALID_ARGUMENT", assertInstanceOf(RejectedException.class,
        map(Status.INVALID_ARGUMENT)).code());
  }
}
