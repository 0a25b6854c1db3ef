package dev.bkv.node.service;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.bkv.client.ChannelCalls;
import dev.bkv.client.LockedException;
import dev.bkv.client.MemberStatus;
import dev.bkv.client.RejectedException;
import dev.bkv.client.VaultClient;
import dev.bkv.client.WrongPasswordException;
import dev.bkv.node.api.RecoverFinishRequest;
import dev.bkv.node.api.RegisterFinishRequest;
import dev.bkv.node.api.RegisterStartRequest;
import dev.bkv.node.api.RegisterStartResponse;
import dev.bkv.node.api.RecoverStartRequest;
import dev.bkv.node.api.RecoverStartResponse;
import dev.bkv.node.api.Tls;
import dev.bkv.opaque.CipherSuite;
import dev.bkv.opaque.ClientLogin;
import dev.bkv.opaque.ClientRegistration;
import dev.bkv.opaque.Ke2;
import dev.bkv.opaque.Ksf;
import dev.bkv.opaque.RegistrationResponse;
import dev.bkv.recovery.SecretBytes;
import dev.bkv.seal.BackupKeySealer;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three member processes over TLS, each with its own SoftHSM2 token holding the same fleet keys:
 * the register/recover flows, the guess limit and lockout on every member, fake answers for
 * unknown users, bad input, delete and password change. The leader-kill scenarios are in
 * {@link LeaderKillTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VaultFleetTest {
  private final SecureRandom rng = new SecureRandom();
  private VaultFleet fleet;
  private VaultClient all;

  @BeforeAll
  void start() throws Exception {
    fleet = new VaultFleet("vault-fleet");
    fleet.startAll();
    all = fleet.client(fleet.ids());
  }

  @AfterAll
  void stop() throws Exception {
    if (all != null) {
      all.close();
    }
    if (fleet != null) {
      try {
        assertTrue(fleet.checkTokens() >= 4 * fleet.ids().size(),
            "every member's fleet keys were inventoried");
      } finally {
        fleet.close();
      }
    }
  }

  private SecretBytes randomKey() {
    byte[] k = new byte[32];
    rng.nextBytes(k);
    return SecretBytes.copyOf(k);
  }

  private VaultClient only(String id) throws Exception {
    return fleet.client(List.of(id));
  }

  @Test
  @Order(1)
  void everyMemberServesThePinnedFleetKey() throws Exception {
    byte[] pinned = fleet.pinnedKey().fleetKey().toCompressed();
    for (int i = 0; i < 3; i++) {
      MemberStatus s = all.status(i, null);
      assertEquals(fleet.ids().get(i), s.memberId());
      assertArrayEquals(pinned, s.fleetPublicKey());
      assertEquals(10, s.attemptLimit());
    }
  }

  @Test
  @Order(2)
  void registerOnOneMemberRecoverOnEachGivesTheSameKey() throws Exception {
    SecretBytes key = randomKey();
    byte[] user = "alice".getBytes(UTF_8);
    try (VaultClient m2 = only("m2")) {
      m2.register(user, "correct horse".getBytes(UTF_8), key);
    }
    for (String id : fleet.ids()) {
      try (VaultClient c = only(id)) {
        SecretBytes got = c.recover(user, "correct horse".getBytes(UTF_8));
        assertTrue(key.equalsConstantTime(got), "key recovered through " + id);
      }
    }
  }

  @Test
  @Order(3)
  void wrongPasswordsCountDownAndTheEleventhAttemptIsLockedOnEveryMember() throws Exception {
    byte[] user = "bob".getBytes(UTF_8);
    all.register(user, "right".getBytes(UTF_8), randomKey());
    for (int left = 9; left >= 0; left--) {
      WrongPasswordException e = assertThrows(WrongPasswordException.class,
          () -> all.recover(user, "wrong".getBytes(UTF_8)));
      assertEquals(left, e.attemptsLeft());
    }
    for (String id : fleet.ids()) {
      try (VaultClient c = only(id)) {
        assertThrows(LockedException.class, () -> c.recover(user, "right".getBytes(UTF_8)));
      }
    }
    long evaluations = 0;
    for (int i = 0; i < 3; i++) {
      evaluations += all.status(i, user).loginEvaluations();
    }
    assertEquals(10, evaluations, "the HSM evaluated exactly the 10 counted attempts");
  }

  @Test
  @Order(4)
  void aSuccessResetsTheCount() throws Exception {
    byte[] user = "carol".getBytes(UTF_8);
    SecretBytes key = randomKey();
    all.register(user, "pw-carol".getBytes(UTF_8), key);
    for (int left = 9; left >= 7; left--) {
      int expected = left;
      assertEquals(expected, assertThrows(WrongPasswordException.class,
          () -> all.recover(user, "nope".getBytes(UTF_8))).attemptsLeft());
    }
    // The reset commits after the key went back; the member's next attempt for the user waits
    // for it, so a guess right after a success always finds the count back at zero.
    for (int round = 0; round < 5; round++) {
      assertTrue(key.equalsConstantTime(all.recover(user, "pw-carol".getBytes(UTF_8))));
      assertEquals(9, assertThrows(WrongPasswordException.class,
          () -> all.recover(user, "nope".getBytes(UTF_8))).attemptsLeft(), "round " + round);
    }
  }

  @Test
  @Order(5)
  void unknownUsersGetAWellFormedKe2AndAFailedLogin() throws Exception {
    CipherSuite suite = new CipherSuite(ServiceConfig.DEFAULT_CONTEXT.getBytes(UTF_8),
        Ksf.IDENTITY);
    byte[] nobody = "nobody".getBytes(UTF_8);
    ManagedChannel ch = channel("m1");
    try {
      ChannelCalls calls = fleet.calls(ch);
      ClientLogin login = ClientLogin.start(suite, "guess".getBytes(UTF_8), rng);
      RecoverStartResponse r = calls.recoverStart(nobody, RecoverStartRequest.newBuilder()
          .setKe1(ByteString.copyFrom(login.ke1().toBytes())).build());
      assertTrue(r.hasKe2());
      assertEquals(Ke2.LENGTH, r.getKe2().getKe2().size());
      Ke2.parse(r.getKe2().getKe2().toByteArray()); // valid points, right shape
      assertEquals(9, r.getKe2().getAttemptsLeft());
      RejectedException e = assertThrows(RejectedException.class,
          () -> calls.recoverFinish(nobody, RecoverFinishRequest.newBuilder()
              .setSessionId(r.getKe2().getSessionId())
              .setKe3(ByteString.copyFrom(new byte[32])).build()));
      assertEquals("UNAUTHENTICATED", e.code());
    } finally {
      ch.shutdownNow();
    }
    assertThrows(WrongPasswordException.class,
        () -> all.recover(nobody, "guess".getBytes(UTF_8)));
  }

  @Test
  @Order(6)
  void badInputGetsInvalidArgumentAndCostsNoAttempt() throws Exception {
    byte[] user = "dave".getBytes(UTF_8);
    all.register(user, "pw-dave".getBytes(UTF_8), randomKey());
    ManagedChannel ch = channel("m3");
    try {
      ChannelCalls calls = fleet.calls(ch);
      RejectedException shortKe1 = assertThrows(RejectedException.class,
          () -> calls.recoverStart(user, RecoverStartRequest.newBuilder()
              .setKe1(ByteString.copyFrom(new byte[97])).build()));
      assertEquals("INVALID_ARGUMENT", shortKe1.code());
      assertTrue(shortKe1.getMessage().contains("(KE1 is 97 bytes; expected 98)"),
          shortKe1.getMessage());
      RejectedException notAPoint = assertThrows(RejectedException.class,
          () -> calls.recoverStart(user, RecoverStartRequest.newBuilder()
              .setKe1(ByteString.copyFrom(new byte[98])).build()));
      assertEquals("INVALID_ARGUMENT", notAPoint.code());
      ChannelCalls withDavesToken = new ChannelCalls(ch, fleet.pinnedKey().fleetKey(),
          dev.bkv.client.TenantTokens.fixed(fleet.tenantTokens().tokenFor(user)));
      StatusRuntimeException noUser = assertThrows(StatusRuntimeException.class,
          () -> withDavesToken.recoverStart(new byte[0], RecoverStartRequest.newBuilder()
              .setKe1(ByteString.copyFrom(new byte[98])).build()));
      assertEquals(Status.Code.INVALID_ARGUMENT, noUser.getStatus().getCode());
      RejectedException noSession = assertThrows(RejectedException.class,
          () -> calls.recoverFinish(user, RecoverFinishRequest.newBuilder()
              .setSessionId(ByteString.copyFrom(new byte[16]))
              .setKe3(ByteString.copyFrom(new byte[32])).build()));
      assertEquals("NOT_FOUND", noSession.code());
    } finally {
      ch.shutdownNow();
    }
    assertEquals(9, assertThrows(WrongPasswordException.class,
        () -> all.recover(user, "x".getBytes(UTF_8))).attemptsLeft(),
        "malformed requests counted no attempt");
  }

  @Test
  @Order(7)
  void ke3AtAnotherMemberOrReplayedIsRefused() throws Exception {
    byte[] user = "erin".getBytes(UTF_8);
    all.register(user, "pw-erin".getBytes(UTF_8), randomKey());
    CipherSuite suite = new CipherSuite(ServiceConfig.DEFAULT_CONTEXT.getBytes(UTF_8),
        Ksf.IDENTITY);
    ManagedChannel c1 = channel("m1");
    ManagedChannel c2 = channel("m2");
    try {
      ChannelCalls m1 = fleet.calls(c1);
      ChannelCalls m2 = fleet.calls(c2);
      ClientLogin login = ClientLogin.start(suite, "pw-erin".getBytes(UTF_8), rng);
      RecoverStartResponse r = m1.recoverStart(user, RecoverStartRequest.newBuilder()
          .setKe1(ByteString.copyFrom(login.ke1().toBytes())).build());
      var fin = login.finish(Ke2.parse(r.getKe2().getKe2().toByteArray()),
          dev.bkv.opaque.Identities.NONE);
      RecoverFinishRequest ke3 = RecoverFinishRequest.newBuilder()
          .setSessionId(r.getKe2().getSessionId())
          .setKe3(ByteString.copyFrom(fin.ke3().toBytes())).build();
      RejectedException elsewhere = assertThrows(RejectedException.class,
          () -> m2.recoverFinish(user, ke3));
      assertEquals("NOT_FOUND", elsewhere.code());
      assertFalse(m1.recoverFinish(user, ke3).getLoginToken().isEmpty());
      RejectedException replay = assertThrows(RejectedException.class,
          () -> m1.recoverFinish(user, ke3));
      assertEquals("NOT_FOUND", replay.code());
    } finally {
      c1.shutdownNow();
      c2.shutdownNow();
    }
  }

  @Test
  @Order(8)
  void passwordChangeAndDeleteNeedTheRightPassword() throws Exception {
    byte[] user = "frank".getBytes(UTF_8);
    SecretBytes key = randomKey();
    all.register(user, "old".getBytes(UTF_8), key);
    assertThrows(WrongPasswordException.class,
        () -> all.changePassword(user, "bad".getBytes(UTF_8), "new".getBytes(UTF_8)));
    all.changePassword(user, "old".getBytes(UTF_8), "new".getBytes(UTF_8));
    assertThrows(WrongPasswordException.class, () -> all.recover(user, "old".getBytes(UTF_8)));
    assertTrue(key.equalsConstantTime(all.recover(user, "new".getBytes(UTF_8))));
    assertThrows(WrongPasswordException.class,
        () -> all.delete(user, "old".getBytes(UTF_8)));
    all.delete(user, "new".getBytes(UTF_8));
    assertThrows(WrongPasswordException.class, () -> all.recover(user, "new".getBytes(UTF_8)));
    all.register(user, "again".getBytes(UTF_8), key); // the id is free again
  }

  /**
   * A registration whose reply was lost is retried at another member with the same registration
   * id: the retry is answered with the attempt limit, and the first upload stays the record.
   * Another id, or none, still gets ALREADY_EXISTS; a malformed id is INVALID_ARGUMENT.
   */
  @Test
  @Order(9)
  void aRegistrationRetriedWithItsIdAfterALostReplySucceeds() throws Exception {
    byte[] user = "grace".getBytes(UTF_8);
    byte[] password = "pw-grace".getBytes(UTF_8);
    SecretBytes key = randomKey();
    byte[] id = new byte[16];
    rng.nextBytes(id);
    ManagedChannel c1 = channel("m1");
    ManagedChannel c3 = channel("m3");
    try {
      ChannelCalls m1 = fleet.calls(c1);
      ChannelCalls m3 = fleet.calls(c3);
      assertEquals(10, m1.registerFinish(user, upload(m1, user, password, key, id))
          .getAttemptLimit());
      assertEquals(10, m3.registerFinish(user, upload(m3, user, password, key, id))
          .getAttemptLimit(), "the retry with the same id");
      assertTrue(key.equalsConstantTime(all.recover(user, password)));

      byte[] other = id.clone();
      other[0] ^= 1;
      for (byte[] notOurs : List.of(other, new byte[0])) {
        RejectedException e = assertThrows(RejectedException.class,
            () -> m3.registerFinish(user, upload(m3, user, password, key, notOurs)));
        assertEquals("ALREADY_EXISTS", e.code());
      }
      RejectedException bad = assertThrows(RejectedException.class,
          () -> m1.registerFinish(user, upload(m1, user, password, key, new byte[8])));
      assertEquals("INVALID_ARGUMENT", bad.code());
      assertTrue(bad.getMessage().contains("registration id is 8 bytes"), bad.getMessage());
      assertTrue(key.equalsConstantTime(all.recover(user, password)));
    } finally {
      c1.shutdownNow();
      c3.shutdownNow();
    }
  }

  /** What a client sends to finish a registration, built without the client library. */
  private RegisterFinishRequest upload(ChannelCalls calls, byte[] user, byte[] password,
      SecretBytes key, byte[] registrationId) throws Exception {
    CipherSuite suite = new CipherSuite(ServiceConfig.DEFAULT_CONTEXT.getBytes(UTF_8),
        Ksf.IDENTITY);
    ClientRegistration reg = ClientRegistration.start(suite, password, rng);
    RegisterStartResponse r = calls.registerStart(user, RegisterStartRequest.newBuilder()
        .setRegistrationRequest(ByteString.copyFrom(reg.request().toBytes())).build());
    ClientRegistration.Result res = reg.finish(
        RegistrationResponse.parse(r.getRegistrationResponse().toByteArray()),
        dev.bkv.opaque.Identities.NONE, rng);
    return RegisterFinishRequest.newBuilder().setSessionId(r.getSessionId())
        .setRegistrationRecord(ByteString.copyFrom(res.record().toBytes()))
        .setSealedKey(ByteString.copyFrom(BackupKeySealer.seal(res.exportKey(), key, rng)
            .toBytes()))
        .setRegistrationId(ByteString.copyFrom(registrationId)).build();
  }

  private ManagedChannel channel(String id) throws Exception {
    var e = fleet.endpoint(id);
    return Grpc.newChannelBuilderForAddress(e.host(), e.port(), Tls.client(fleet.caPem()))
        .build();
  }
}
