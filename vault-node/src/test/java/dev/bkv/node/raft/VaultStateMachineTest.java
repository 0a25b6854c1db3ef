package dev.bkv.node.raft;

import static dev.bkv.node.raft.FailoverClusterTest.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.node.raft.internal.TestRaftStorage;
import dev.bkv.node.store.Command;
import dev.bkv.node.store.Outcome;
import dev.bkv.node.store.Outcome.Status;
import dev.bkv.node.store.UserId;
import dev.bkv.node.store.UserState;
import dev.bkv.node.testing.TestRaftTrust;
import java.io.File;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.UUID;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.StateMachineLogEntryProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.raftlog.LogProtoUtils;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The adapter alone, fed log entries directly: apply, replay, validation, fail-stop. */
class VaultStateMachineTest {
  private static final RaftGroupId GROUP = RaftGroupId.valueOf(UUID.randomUUID());
  private static final UserId CAROL = user("carol");

  @TempDir Path dir;
  private VaultStateMachine sm;

  @BeforeEach
  void start() throws Exception {
    sm = open();
  }

  @AfterEach
  void stop() {
    sm.close();
  }

  private VaultStateMachine open() throws Exception {
    VaultStateMachine m = new VaultStateMachine(8, CommandAuthenticator.UNSIGNED);
    m.initialize(fakeServer(), GROUP, new TestRaftStorage(dir.toFile()));
    return m;
  }

  @Test
  void appliesCommandsAndAnswersQueries() throws Exception {
    assertEquals(Status.OK, apply(1, register()).status());
    Outcome o = apply(2, new Command.Attempt(CAROL, 20).toBytes());
    assertEquals(1, o.record().orElseThrow().attemptsUsed());
    assertEquals(2, sm.getLastAppliedTermIndex().getIndex());
    UserState s = UserState.parse(query(new Query.Get(CAROL)));
    assertEquals(1, assertInstanceOf(UserState.Present.class, s).record().attemptsUsed());
    ReplicaStatus status = ReplicaStatus.parse(query(new Query.Status()));
    assertEquals(new ReplicaStatus(2, 2, -1, 0), status);
  }

  @Test
  void aPartialWaitsForItsIndexWithoutHoldingAWaiterPastItsWait() throws Exception {
    apply(1, register());
    byte[] element = new byte[33];
    Query.Partial next = new Query.Partial(CAROL, Query.Purpose.LOGIN, 2, element,
        java.util.List.of("m1"));
    java.util.concurrent.CompletableFuture<Message> waiting =
        sm.query(Message.valueOf(ByteString.copyFrom(next.toBytes())));
    assertEquals(1, sm.waitingForApply());
    apply(2, new Command.Attempt(CAROL, 20).toBytes());
    waiting.get(10, java.util.concurrent.TimeUnit.SECONDS); // answered once index 2 applied
    assertEquals(0, sm.waitingForApply());

    // An index that never comes: refused after the wait, and nothing stays queued for it.
    Query.Partial never = new Query.Partial(CAROL, Query.Purpose.LOGIN, Long.MAX_VALUE / 2,
        element, java.util.List.of("m1"));
    java.util.concurrent.ExecutionException e = assertThrows(
        java.util.concurrent.ExecutionException.class,
        () -> sm.query(Message.valueOf(ByteString.copyFrom(never.toBytes())))
            .get(10, java.util.concurrent.TimeUnit.SECONDS));
    assertTrue(e.getCause().getMessage().contains("has not applied index"),
        e.getCause().getMessage());
    assertEquals(0, sm.waitingForApply());
  }

  @Test
  void restartKeepsStateAndReplayedEntriesChangeNothing() throws Exception {
    apply(1, register());
    apply(2, new Command.Attempt(CAROL, 20).toBytes());
    assertEquals(2, sm.takeSnapshot());
    apply(3, new Command.Attempt(CAROL, 21).toBytes());
    sm.close();
    sm = open();
    // Ratis resumes from the snapshot (index 2) and hands entry 3 over again.
    assertEquals(2, sm.getLastAppliedTermIndex().getIndex());
    assertEquals(Status.REPLAYED, apply(3, new Command.Attempt(CAROL, 21).toBytes()).status());
    assertEquals(2, UserState.parse(query(new Query.Get(CAROL))) instanceof UserState.Present p
        ? p.record().attemptsUsed() : -1);
    assertEquals(3, apply(4, new Command.Attempt(CAROL, 22).toBytes()).record().orElseThrow()
        .attemptsUsed());
    File[] snapshots = dir.resolve("sm").resolve("snapshots").toFile().listFiles();
    assertNotNull(snapshots);
    assertEquals("snapshot.1_2", snapshots[0].getName());
    assertTrue(new File(snapshots[0], "CURRENT.md5").isFile());
  }

  @Test
  void leaderRefusesMalformedCommandsBeforeTheLog() throws Exception {
    TransactionContext ok = sm.startTransaction(request(register()));
    assertNull(ok.getException());
    TransactionContext bad = sm.startTransaction(request(new byte[] {1, 3, 0}));
    assertNotNull(bad.getException());
    assertTrue(bad.getException().getMessage().startsWith("rejected command: command is "
        + "truncated at user id length"), bad.getException().getMessage());
  }

  @Test
  void leaderLogsOnlyTheInnerCommandOfAnEnvelopeAMemberSigned() throws Exception {
    TestRaftTrust trust = TestRaftTrust.create(
        java.nio.file.Files.createDirectories(dir.resolve("tls")), java.util.List.of("m1", "m2"));
    VaultStateMachine signed = new VaultStateMachine(8,
        CommandAuthenticator.members(dev.bkv.node.trust.MemberRoster.load(trust.roster())));
    signed.initialize(fakeServer(), GROUP, new TestRaftStorage(dir.resolve("signed").toFile()));
    try {
      TransactionContext ok = signed.startTransaction(request(trust.signed("m2", GROUP,
          register())));
      assertNull(ok.getException());
      assertEquals(ByteString.copyFrom(register()),
          ok.getStateMachineLogEntry().getLogData(), "the log holds the bare command");
      assertRefused(signed, register(), "not a member-signed command (signed command has "
          + "version 1; expected 129)");
      assertRefused(signed, trust.signed("m1", RaftGroupId.valueOf(UUID.randomUUID()),
          register()), "the signature of member 'm1' on a command for group "
          + GROUP.getUuid() + " does not verify under its Raft certificate");
      CommandEnvelope e = CommandEnvelope.parse(trust.signed("m1", GROUP, register()));
      assertRefused(signed, new CommandEnvelope("m2", e.signature(), e.command()).toBytes(),
          "the signature of member 'm2'");
      assertRefused(signed, new CommandEnvelope("m7", e.signature(), e.command()).toBytes(),
          "command signed by 'm7', which is not in the member roster [m1, m2]");
      assertRefused(signed, trust.signed("m1", GROUP, new byte[] {1, 3, 0}),
          "rejected command: command is truncated at user id length");
    } finally {
      signed.close();
    }
  }

  private static void assertRefused(VaultStateMachine m, byte[] message, String reason)
      throws Exception {
    TransactionContext trx = m.startTransaction(request(message));
    assertNotNull(trx.getException(), reason);
    assertTrue(trx.getException().getMessage().contains(reason),
        trx.getException().getMessage());
  }

  @Test
  void anUnreadableEntryStopsTheReplicaInsteadOfBeingSkipped() throws Exception {
    apply(1, register());
    TransactionContext trx = entry(2, new byte[] {9, 9});
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> sm.applyTransaction(trx));
    assertTrue(e.getMessage().contains("command has version 9"), e.getMessage());
    assertEquals(1, sm.getLastAppliedTermIndex().getIndex());
  }

  private static byte[] register() {
    return new Command.Register(CAROL, 10, 1, 10, new byte[] {1}, new byte[] {2}, new byte[0]).toBytes();
  }

  private Outcome apply(long index, byte[] command) throws Exception {
    Message m = sm.applyTransaction(entry(index, command)).get();
    return Outcome.parse(m.getContent().toByteArray());
  }

  private byte[] query(Query q) throws Exception {
    return sm.query(Message.valueOf(ByteString.copyFrom(q.toBytes()))).get().getContent()
        .toByteArray();
  }

  private TransactionContext entry(long index, byte[] data) {
    StateMachineLogEntryProto sme = LogProtoUtils.toStateMachineLogEntryProto(ClientId.randomId(),
        index, StateMachineLogEntryProto.Type.WRITE, ByteString.copyFrom(data), null);
    LogEntryProto e = LogProtoUtils.toLogEntryProto(sme, 1, index);
    return TransactionContext.newBuilder().setStateMachine(sm).setServerRole(RaftPeerRole.FOLLOWER)
        .setLogEntry(e).build();
  }

  private static RaftClientRequest request(byte[] data) {
    return RaftClientRequest.newBuilder().setClientId(ClientId.randomId())
        .setServerId(RaftPeerId.valueOf("t")).setGroupId(GROUP).setCallId(1)
        .setMessage(Message.valueOf(ByteString.copyFrom(data)))
        .setType(RaftClientRequest.writeRequestType()).build();
  }

  /** Only the member id is read from the server by the adapter. */
  private static RaftServer fakeServer() {
    return (RaftServer) Proxy.newProxyInstance(RaftServer.class.getClassLoader(),
        new Class<?>[] {RaftServer.class}, (proxy, method, args) -> switch (method.getName()) {
          case "getId" -> RaftPeerId.valueOf("t");
          case "toString" -> "fake-server";
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }
}
