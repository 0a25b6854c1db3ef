package dev.bkv.node.raft;

import static dev.bkv.node.raft.FailoverClusterTest.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.node.raft.internal.RaftSettings;
import dev.bkv.node.store.Command;
import dev.bkv.node.store.Outcome.Status;
import dev.bkv.node.store.UserId;
import dev.bkv.node.store.UserState;
import dev.bkv.node.testing.TestRaftTrust;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.FileUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A single-member fleet in this JVM: restart from snapshot plus log, and snapshot checksums. */
class ReplicaRestartTest {
  @TempDir Path dir;
  private long clock = 1;

  @Test
  void restartRecoversFromSnapshotAndLogAndRejectsACorruptSnapshot() throws Exception {
    TestRaftTrust trust = TestRaftTrust.create(Files.createDirectories(dir.resolve("tls")),
        List.of("solo"));
    NodeConfig config = new NodeConfig("solo", List.of(new Peer("solo", "127.0.0.1", port())),
        dir, 1, 100, 200, 20, 1000, Map.of(), trust.files("solo"));
    UserId u = user("restart");
    ReplicaServer server = ReplicaServer.start(config);
    try (ReplicatedStore store = new ReplicatedStore(config)) {
      assertEquals(Status.OK, store.submit(new Command.Register(u, clock++, 1, 100,
          new byte[] {1}, new byte[] {2}, new byte[0])).status());
      for (int i = 0; i < 45; i++) {
        store.submit(new Command.Attempt(u, clock++));
      }
      ReplicaStatus s = store.status("solo", 0);
      assertTrue(s.snapshotIndex() >= 20, "automatic snapshot by now: " + s);
      assertMalformedInputIsRefused(config, trust, s.storeIndex());
      assertEquals(s.storeIndex(), store.status("solo", 0).storeIndex(), "nothing applied");
    } finally {
      server.close();
    }
    Path sm = stateMachineDir();

    // Restart: state comes back from the snapshot Ratis took on stop plus the live database.
    server = ReplicaServer.start(config);
    try (ReplicatedStore store = new ReplicatedStore(config)) {
      assertEquals(45, attempts(store.get(u)));
      ReplicaStatus s = store.status("solo", 0);
      assertTrue(s.snapshotIndex() >= 46, "snapshot taken on stop: " + s);
      assertEquals(46, store.submit(new Command.Attempt(u, clock++)).record().orElseThrow()
          .attemptsUsed());
    } finally {
      server.close();
    }

    // Lost live database: rebuilt from the snapshot plus the log after it.
    FileUtils.deleteFully(sm.resolve("db").toFile());
    server = ReplicaServer.start(config);
    try (ReplicatedStore store = new ReplicatedStore(config)) {
      assertEquals(46, attempts(store.get(u)));
    } finally {
      server.close();
    }

    // A snapshot file that no longer matches its checksum is refused, never loaded.
    FileUtils.deleteFully(sm.resolve("db").toFile());
    Path sst = latestSnapshotFile(sm);
    try (FileChannel ch = FileChannel.open(sst, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {0x5a}), 0);
    }
    ReplicationException e = assertThrows(ReplicationException.class,
        () -> ReplicaServer.start(config).close());
    assertTrue(String.valueOf(e.getMessage()).contains("MD5")
        || String.valueOf(rootCause(e).getMessage()).contains("MD5"), e.toString());
  }

  /** Bytes that are not a command are refused by the leader before they reach the log. */
  private static void assertMalformedInputIsRefused(NodeConfig config, TestRaftTrust trust,
      long storeIndex) throws Exception {
    Shards shards = new Shards(1, config.peers());
    try (RaftClient raw = RaftClient.newBuilder().setProperties(RaftSettings.client(config))
        .setParameters(RaftSettings.parameters(ReplicaServer.trust(config)))
        .setRaftGroup(shards.group(0)).build()) {
      StateMachineException empty = assertThrows(StateMachineException.class,
          () -> raw.io().send(Message.valueOf(ByteString.EMPTY)));
      assertTrue(empty.getMessage().contains("rejected command: not a member-signed command"),
          empty.getMessage());
      byte[] attempt = new Command.Attempt(user("restart"), 5).toBytes();
      for (byte[] bad : List.of(new byte[] {1, 9}, Arrays.copyOf(attempt,
          attempt.length - 1), new byte[] {2, 3, 0, 0, 0, 1, 'x', 0, 0, 0, 0, 0, 0, 0, 0})) {
        // Signed by the member, so only the inner command is at fault.
        byte[] signed = trust.signed("solo", shards.group(0).getGroupId(), bad);
        StateMachineException e = assertThrows(StateMachineException.class,
            () -> raw.io().send(Message.valueOf(ByteString.copyFrom(signed))));
        assertTrue(e.getMessage().contains("rejected command: command"), e.getMessage());
      }
    }
  }

  private static int attempts(UserState s) {
    return assertInstanceOf(UserState.Present.class, s).record().attemptsUsed();
  }

  private Path stateMachineDir() throws IOException {
    try (Stream<Path> s = Files.walk(dir.resolve("raft"), 2)) {
      return s.filter(p -> p.getFileName().toString().equals("sm")).findFirst().orElseThrow();
    }
  }

  private static Path latestSnapshotFile(Path sm) throws IOException {
    try (Stream<Path> s = Files.walk(sm.resolve("snapshots"))) {
      return s.filter(p -> p.getFileName().toString().endsWith(".sst")).sorted()
          .reduce((a, b) -> b).orElseThrow();
    }
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static int port() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
