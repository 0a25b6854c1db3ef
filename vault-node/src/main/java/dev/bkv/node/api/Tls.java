package dev.bkv.node.api;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.nio.file.Path;

/** Transport credentials for the vault API: TLS from PEM files, plaintext only when asked. */
public final class Tls {
  static {
    // gRPC's shaded Netty logs through SLF4J when it finds the API on the class path; the
    // command-line distribution has no SLF4J provider, so use java.util.logging instead of
    // printing SLF4J's "no providers" warning on every client command.
    io.grpc.netty.shaded.io.netty.util.internal.logging.InternalLoggerFactory.setDefaultFactory(
        io.grpc.netty.shaded.io.netty.util.internal.logging.JdkLoggerFactory.INSTANCE);
  }

  private Tls() {}

  /** Server TLS from a PEM certificate chain and a PEM PKCS#8 key; null paths = plaintext. */
  public static ServerCredentials server(Path certChain, Path privateKey, boolean plaintext)
      throws IOException {
    if (plaintext) {
      return InsecureServerCredentials.create();
    }
    return TlsServerCredentials.create(certChain.toFile(), privateKey.toFile());
  }

  /** Client credentials trusting the CA certificates in {@code caPem}; null = plaintext. */
  public static ChannelCredentials client(Path caPem) throws IOException {
    if (caPem == null) {
      return InsecureChannelCredentials.create();
    }
    return TlsChannelCredentials.newBuilder().trustManager(caPem.toFile()).build();
  }
}
