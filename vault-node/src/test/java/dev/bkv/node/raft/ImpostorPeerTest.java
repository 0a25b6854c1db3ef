package dev.bkv.node.raft;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.node.api.DevCa;
import dev.bkv.node.testing.RecordingTrustManager;
import dev.bkv.node.testing.TestRaftTrust;
import dev.bkv.node.trust.MemberTrust;
import dev.bkv.node.trust.Pem;
import dev.bkv.node.trust.SingleKeyManager;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The other direction of mutual TLS: a member connecting to a peer refuses a server whose
 * certificate comes from another CA, even under a member's name.
 */
class ImpostorPeerTest {
  @TempDir Path root;

  @Test
  void aMemberRefusesAServerWithACertificateFromAnotherCa() throws Exception {
    DevCa.create(root.resolve("ca"), List.of("m2"), List.of(), new SecureRandom());
    X509Certificate cert = Pem.certificate(Files.readString(root.resolve("ca/m2.pem")), "c");
    PrivateKey key = Pem.privateKey(Files.readString(root.resolve("ca/m2-key.pem")), "k");
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(new KeyManager[] {new SingleKeyManager("m2", key, cert)},
        new TrustManager[] {new RaftAuthTest.TrustAll()}, null);
    try (SSLServerSocket impostor = (SSLServerSocket) ctx.getServerSocketFactory()
        .createServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        while (!impostor.isClosed()) {
          try (SSLSocket s = (SSLSocket) impostor.accept()) {
            s.startHandshake();
          } catch (IOException e) {
            // The member aborts the handshake (or the socket was closed).
          }
        }
      }, "impostor-peer");
      acceptor.setDaemon(true);
      acceptor.start();

      TestRaftTrust trust = TestRaftTrust.create(Files.createDirectories(root.resolve("tls")),
          List.of("m1", "m2"));
      List<Peer> peers = List.of(new Peer("m1", "127.0.0.1", 1),
          new Peer("m2", "127.0.0.1", impostor.getLocalPort()));
      NodeConfig config = new NodeConfig(null, peers, null, 1, 150, 300, 10_000, 500,
          Map.of(), trust.files("m1"));
      MemberTrust member = ReplicaServer.trust(config);
      List<String> refusals = new CopyOnWriteArrayList<>();
      GrpcTlsConfig tls = new GrpcTlsConfig(member.credential().keyManager(),
          new RecordingTrustManager(member.trustManager(), refusals), true);
      Parameters p = new Parameters();
      GrpcConfigKeys.Client.setTlsConf(p, tls);
      GrpcConfigKeys.Admin.setTlsConf(p, tls);
      RaftGroup toImpostor = RaftGroup.valueOf(new Shards(1, peers).group(0).getGroupId(),
          RaftPeer.newBuilder().setId("m2").setAddress("127.0.0.1:" + impostor.getLocalPort())
              .build());
      try (RaftClient c = RaftAuthTest.client(config, toImpostor, p)) {
        assertThrows(Exception.class, () -> c.io().send(RaftAuthTest.message(new byte[] {1})));
      }
      assertTrue(refusals.stream().anyMatch(r -> r.contains("certificate CN=m2 names member "
          + "'m2' in its CN and 'null' in its bkv-member: URI")), refusals.toString());
    }
  }
}
