package dev.bkv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.client.UnavailableException;
import io.grpc.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class ErrorLineTest {

  private static Status refused() {
    return Status.UNAVAILABLE.withDescription("io exception").withCause(new ConnectException(
        "finishConnect(..) failed with error(-111): Connection refused: /127.0.0.1:1"));
  }

  @Test
  void aStatusPrintedWithItsCauseStaysOneLine() {
    Status s = refused();
    // The form a client library message takes when it embeds the status itself: the cause's
    // stack trace ends up inside the message.
    UnavailableException e = new UnavailableException("no member could serve the request "
        + "(tried [127.0.0.1:1]): " + s, s.asRuntimeException());
    assertTrue(e.getMessage().lines().count() > 5, e.getMessage());

    String line = ErrorLine.of(new CliException(ExitCodes.UNAVAILABLE, e.getMessage(), e));
    assertEquals(1, line.lines().count(), line);
    assertFalse(line.contains("\tat "), line);
    assertTrue(line.startsWith("no member could serve the request (tried [127.0.0.1:1]): "
        + "UNAVAILABLE: io exception"), line);
    assertTrue(line.toLowerCase().contains("connection refused"), line);
  }

  @Test
  void theCauseIsNamedFromTheExceptionTypes() {
    Status s = refused();
    UnavailableException e = new UnavailableException("no member could serve the request "
        + "(tried [127.0.0.1:1]): UNAVAILABLE: io exception", s.asRuntimeException());
    assertEquals("no member could serve the request (tried [127.0.0.1:1]): UNAVAILABLE: "
        + "io exception (connection refused)", ErrorLine.of(e));

    Status dns = Status.UNAVAILABLE.withDescription("Unable to resolve host h.invalid")
        .withCause(new UnknownHostException("h.invalid: Name or service not known"));
    assertEquals("h.invalid:1: UNAVAILABLE (Unable to resolve host h.invalid) (unknown host "
        + "h.invalid)", ErrorLine.of(new UnavailableException(
            "h.invalid:1: UNAVAILABLE (Unable to resolve host h.invalid)",
            dns.asRuntimeException())));
  }

  @Test
  void multiLineMessagesWithoutFramesAreJoined() {
    String m = "10.0.0.1:1: UNIMPLEMENTED (HTTP status code 404\nmissing content-type\n"
        + "trailers: Metadata(:status=404))";
    assertEquals("10.0.0.1:1: UNIMPLEMENTED (HTTP status code 404; missing content-type; "
        + "trailers: Metadata(:status=404))", ErrorLine.of(new IllegalStateException(m)));
  }

  @Test
  void plainMessagesAreUnchanged() {
    assertEquals("KE1 is 97 bytes; expected 98",
        ErrorLine.of(new CliException(3, "KE1 is 97 bytes; expected 98")));
    assertEquals("no such file", ErrorLine.of(new UncheckedIOException(
        new IOException("no such file"))));
    assertEquals("internal fault (NullPointerException); rerun with --verbose",
        ErrorLine.of(new NullPointerException()));
  }
}
