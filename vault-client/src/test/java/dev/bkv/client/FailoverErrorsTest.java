package dev.bkv.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.node.api.ChannelError;
import dev.bkv.node.api.ChannelErrors;
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

  @Test
  void plainStatusesCarryATypedReason() {
    assertEquals(Rejection.UNKNOWN, reason(Status.UNKNOWN.withDescription("handler failed")));
    assertEquals(Rejection.UNAUTHORIZED, reason(Status.UNAUTHENTICATED));
    assertEquals(Rejection.RATE_LIMITED, reason(Status.RESOURCE_EXHAUSTED));
    assertEquals(Rejection.BAD_REQUEST, reason(Status.INVALID_ARGUMENT));
    assertEquals(Rejection.NO_SESSION, reason(Status.NOT_FOUND));
    assertEquals(Rejection.CHANGED, reason(Status.ABORTED));
    assertEquals(Rejection.EXISTS, reason(Status.ALREADY_EXISTS));
    assertEquals(Rejection.UNKNOWN, reason(Status.UNIMPLEMENTED));
  }

  @Test
  void everyChannelReasonHasAClientReason() {
    for (ChannelError.Reason r : ChannelError.Reason.values()) {
      Rejection mine = Rejection.of(r);
      if (r == ChannelError.Reason.REASON_UNSPECIFIED || r == ChannelError.Reason.UNRECOGNIZED) {
        assertEquals(Rejection.UNKNOWN, mine);
      } else {
        assertEquals(r.name(), mine.name());
        // The same refusal outside the channel reads as the same reason (a failed login and
        // a missing tenant token share UNAUTHENTICATED there).
        assertEquals(r == ChannelError.Reason.LOGIN_FAILED ? Rejection.UNAUTHORIZED : mine,
            Rejection.of(ChannelErrors.statusCode(r)), r.name());
      }
    }
  }

  @Test
  void aCodeNameAloneStillNamesTheReason() {
    assertEquals(Rejection.CHANGED, new RejectedException("ABORTED", "m", null).reason());
    assertEquals(Rejection.CLIENT_FAULT, new RejectedException("CLIENT", "m", null).reason());
    assertEquals(Rejection.UNKNOWN, new RejectedException("nonsense", "m", null).reason());
  }

  private static Rejection reason(Status s) {
    return assertInstanceOf(RejectedException.class, map(s)).reason();
  }
}
