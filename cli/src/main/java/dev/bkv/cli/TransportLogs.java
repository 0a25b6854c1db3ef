package dev.bkv.cli;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * gRPC logs some failures itself through java.util.logging, with the cause's stack trace (an
 * endpoint whose name does not resolve, for one). The command reports the same failure as its
 * one error line, so without {@code --verbose} those logs are off; a running member
 * ({@code bkv node run}) keeps them.
 */
final class TransportLogs {
  /** Held so the level set here is not lost when the logger would be garbage collected. */
  private static final Logger GRPC = Logger.getLogger("io.grpc");

  static {
    // gRPC's shaded Netty logs through SLF4J when it finds the API on the class path; the
    // distribution has no SLF4J provider, so use java.util.logging instead of printing SLF4J's
    // "no providers" warning on every command that opens a channel.
    io.grpc.netty.shaded.io.netty.util.internal.logging.InternalLoggerFactory.setDefaultFactory(
        io.grpc.netty.shaded.io.netty.util.internal.logging.JdkLoggerFactory.INSTANCE);
  }

  private TransportLogs() {}

  static void quiet(boolean quiet) {
    GRPC.setLevel(quiet ? Level.OFF : null);
  }
}
