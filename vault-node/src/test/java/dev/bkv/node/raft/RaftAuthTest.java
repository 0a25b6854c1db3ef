package dev.bkv.node.raft;

import static dev.bkv.node.raft.FailoverClusterTest.user;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.node.api.DevCa;
import dev.bkv.node.raft.internal.RaftSettings;
import dev.bkv.node.store.Command;
import dev.bkv.node.store.Outcome.Status;
import dev.bkv.node.store.UserId;
import dev.bkv.node.store.UserRecord;
import dev.bkv.node.store.UserState;
import dev.bkv.node.testing.Polling;
import dev.bkv.node.testing.TestRaftTrust;
import dev.bkv.node.trust.MemberCredential;
import dev.bkv.node.trust.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.net.ssl.X509TrustManager;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three member processes on mutual TLS: a Ratis client without a member credential (plaintext,
 * a certificate from another CA, or a forged member certificate) cannot commit Reset or Delete,
 * read a record, or change the configuration; a client holding a member's TLS credential still
 * cannot commit a command that member did not sign. Afterwards the replicas are unchanged.
 */
class RaftAuthTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path root;

  @Test
  void clientsWithoutMemberCredentialsAreRefusedAndNothingChanges() throws Exception {
    try (LocalCluster cluster = new LocalCluster(root, 3, 1, Map.of())) {
      cluster.startAll();
      NodeConfig config = cluster.clientConfig(500);
      RaftGroup group = new Shards(1, config.peers()).group(0);
      UserId victim = user("victim");
      UserRecord before;
      Map<String, Long> storeIndex = new LinkedHashMap<>();
      try (ReplicatedStore store = new ReplicatedStore(config)) {
        assertEquals(Status.OK, store.submit(new Command.Register(victim, 1, 1, 10,
            new byte[] {1}, new byte[] {2}, new byte[0])).status());
        for (int i = 1; i <= 3; i++) {
          store.submit(new Command.Attempt(victim, 1 + i));
        }
        before = present(store.get(victim));
        assertEquals(3, before.attemptsUsed());
        for (String id : cluster.ids()) {
          Polling.until(WAIT, id + " caught up", () -> store.getFrom(id, victim)
              instanceof UserState.Present p && p.record().attemptsUsed() == 3);
          storeIndex.put(id, store.status(id, 0).storeIndex());
        }
      }
      byte[] reset = new Command.Reset(victim, 100, before.generation()).toBytes();
      byte[] delete = new Command.Delete(victim, 100, before.generation()).toBytes();
      byte[] get = new Query.Get(victim).toBytes();

      Map<String, Parameters> outsiders = new LinkedHashMap<>();
      outsiders.put("plaintext", new Parameters());
      outsiders.put("certificate from another CA", otherCa());
      outsiders.put("member certificate forged with another identity key", forgedMember());
      for (Map.Entry<String, Parameters> o : outsiders.entrySet()) {
        try (RaftClient c = client(config, group, o.getValue())) {
          for (byte[] cmd : List.of(reset, delete)) {
            assertThrows(Exception.class, () -> c.io().send(message(cmd)), o.getKey());
          }
          assertThrows(Exception.class, () -> c.io().sendReadOnly(message(get)), o.getKey());
          for (RaftPeer p : group.getPeers()) {
            assertThrows(Exception.class, () -> c.io().sendStaleRead(message(get), 0,
                p.getId()), o.getKey() + " stale read at " + p.getId());
          }
          List<RaftPeer> grown = new ArrayList<>(group.getPeers());
          grown.add(RaftPeer.newBuilder().setId("intruder").setAddress("127.0.0.1:1").build());
          assertThrows(Exception.class, () -> c.admin().setConfiguration(grown), o.getKey());
        }
      }

      // The members refused the certificates themselves, and say why.
      String logs = String.join("\n", cluster.logs().stream().map(RaftAuthTest::read).toList());
      assertTrue(logs.contains("refused a Raft peer certificate: certificate CN=m1 names member"
          + " 'm1' in its CN and 'null' in its bkv-member: URI"), "other CA refused");
      assertTrue(logs.contains("refused a Raft peer certificate: certificate of member 'm1' is "
          + "not signed by that member's identity key"), "forged member refused");

      // A client with a member's TLS credential but commands the member did not sign.
      TestRaftTrust trust = cluster.trust();
      Parameters member = RaftSettings.parameters(ReplicaServer.trust(config));
      try (RaftClient c = client(config, group, member)) {
        assertRefused(c, reset, "not a member-signed command");
        byte[] otherGroup = trust.signed("m1", RaftGroup.emptyGroup().getGroupId(), reset);
        assertRefused(c, otherGroup, "does not verify");
        CommandEnvelope e = CommandEnvelope.parse(trust.signed("m1", group.getGroupId(),
            reset));
        byte[] asM2 = new CommandEnvelope("m2", e.signature(), e.command()).toBytes();
        assertRefused(c, asM2, "signature of member 'm2'");
        byte[] asStranger = new CommandEnvelope("m9", e.signature(), e.command()).toBytes();
        assertRefused(c, asStranger, "not in the member roster");
        byte[] swapped = new CommandEnvelope("m1", e.signature(), delete).toBytes();
        assertRefused(c, swapped, "does not verify");
        // Membership is fixed by the roster, even for a member's credential.
        List<RaftPeer> grown = new ArrayList<>(group.getPeers());
        grown.add(RaftPeer.newBuilder().setId("intruder").setAddress("127.0.0.1:1").build());
        Exception conf = assertThrows(Exception.class, () -> c.admin().setConfiguration(grown));
        assertTrue(String.valueOf(conf.getMessage()).contains("membership is fixed by the "
            + "member roster"), conf.toString());
        Exception shrink = assertThrows(Exception.class, () -> c.admin().setConfiguration(
            group.getPeers().stream().limit(2).toList()));
        assertTrue(String.valueOf(shrink.getMessage()).contains("PERMISSION_DENIED"),
            shrink.toString());
      }

      // Nothing was committed, changed or added.
      try (ReplicatedStore store = new ReplicatedStore(config)) {
        UserRecord after = present(store.get(victim));
        assertEquals(3, after.attemptsUsed());
        assertEquals(before.generation(), after.generation());
        assertArrayEquals(before.sealedKey(), after.sealedKey());
        for (String id : cluster.ids()) {
          assertEquals(storeIndex.get(id), store.status(id, 0).storeIndex(), id);
          assertEquals(3, present(store.getFrom(id, victim)).attemptsUsed(), id);
        }
        try (RaftClient c = client(config, group, member)) {
          for (RaftPeer p : group.getPeers()) {
            GroupInfoReply info = c.getGroupManagementApi(p.getId()).info(group.getGroupId());
            Set<String> voters = info.getGroup().getPeers().stream()
                .map(x -> x.getId().toString()).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(new TreeSet<>(cluster.ids()), voters, "configuration at " + p.getId());
          }
        }
        // The legitimate path still works.
        assertEquals(Status.OK, store.submit(new Command.Reset(victim, 200,
            before.generation())).status());
      }
    }
  }

  private static void assertRefused(RaftClient c, byte[] message, String reason) {
    Exception e = assertThrows(Exception.class, () -> {
      RaftClientReply r = c.io().send(message(message));
      if (!r.isSuccess()) {
        throw r.getException();
      }
    });
    assertTrue(String.valueOf(e.getMessage()).contains("rejected command: ")
        && e.getMessage().contains(reason), e.toString());
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static UserRecord present(UserState s) {
    return assertInstanceOf(UserState.Present.class, s).record();
  }

  static RaftClient client(NodeConfig config, RaftGroup group, Parameters p) {
    return RaftClient.newBuilder().setProperties(RaftSettings.client(config))
        .setParameters(p).setRaftGroup(group).setRetryPolicy(RetryPolicies.noRetry()).build();
  }

  static Message message(byte[] b) {
    return Message.valueOf(ByteString.copyFrom(b));
  }

  /** TLS with a certificate for "m1" from an unrelated CA, trusting any server. */
  private Parameters otherCa() throws Exception {
    Path dir = root.resolve("other-ca");
    DevCa.create(dir, List.of("m1"), List.of(), new SecureRandom());
    X509Certificate cert = Pem.certificate(Files.readString(dir.resolve("m1.pem")), "cert");
    var key = Pem.privateKey(Files.readString(dir.resolve("m1-key.pem")), "key");
    return tls(new dev.bkv.node.trust.SingleKeyManager("m1", key, cert));
  }

  /** A certificate for "m1" made like a member's, but signed by an identity key nobody pinned. */
  private Parameters forgedMember() throws Exception {
    Path dir = root.resolve("forged");
    TestRaftTrust forged = TestRaftTrust.create(Files.createDirectories(dir), List.of("m1"));
    RaftTlsFiles f = forged.files("m1");
    return tls(MemberCredential.load(f.cert(), f.key()).keyManager());
  }

  private static Parameters tls(javax.net.ssl.KeyManager km) {
    GrpcTlsConfig tls = new GrpcTlsConfig(km, new TrustAll(), true);
    Parameters p = new Parameters();
    GrpcConfigKeys.Client.setTlsConf(p, tls);
    GrpcConfigKeys.Admin.setTlsConf(p, tls);
    return p;
  }

  /** The attacker trusts any server, so only the members' checks stand in its way. */
  static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
