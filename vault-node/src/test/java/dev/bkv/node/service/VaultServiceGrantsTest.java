package dev.bkv.node.service;

import static dev.bkv.node.service.ServiceFixture.refused;
import static dev.bkv.node.service.ServiceFixture.user;
import static dev.bkv.node.service.VaultServiceTest.kinds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.node.api.LoginBinding;
import dev.bkv.node.api.ChannelError.Reason;
import dev.bkv.node.service.ServiceFixture.LoggedIn;
import dev.bkv.node.service.ServiceFixture.NewRecord;
import dev.bkv.node.store.AuditEntry.Kind;
import dev.bkv.node.store.Command;
import dev.bkv.node.store.UserId;
import dev.bkv.node.store.UserState;
import dev.bkv.opaque.Identities;
import dev.bkv.opaque.Ke2;
import dev.bkv.recovery.AuthenticationFailedException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a completed login allows (vault-node README, "Vault API and service"): one delete or one
 * password change of the record it verified, bound to the login by its login binding, on a real
 * record store without a cluster ({@link ServiceFixture}).
 */
class VaultServiceGrantsTest {
  private ServiceFixture f;
  private final UserId alice = user("alice");

  @BeforeEach
  void setUp() throws Exception {
    f = new ServiceFixture();
  }

  @AfterEach
  void tearDown() throws Exception {
    f.close();
  }

  private static byte[] deleteBinding(LoggedIn in) {
    return LoginBinding.delete(in.bindingKey(), in.token());
  }

  private static byte[] changeBinding(LoggedIn in, NewRecord n) {
    return LoginBinding.changePassword(in.bindingKey(), in.token(), n.sessionId(), n.record(),
        n.sealedKey());
  }

  private void change(LoggedIn in, NewRecord n) throws Exception {
    f.service.changePassword(alice, in.token(), n.sessionId(), n.record(), n.sealedKey(),
        changeBinding(in, n));
  }

  @Test
  void deleteErasesTheRecordTheLoginVerified() throws Exception {
    f.register(alice, "pw");
    long generation = f.present(alice).record().generation();
    LoggedIn in = f.login(alice, "pw");
    f.service.delete(alice, in.token(), deleteBinding(in));
    UserState s = f.state(alice);
    assertInstanceOf(UserState.Absent.class, s);
    assertTrue(s.audit().isEmpty(), "no lockout in the trail: erased with the record");
    Command.Delete d = (Command.Delete) f.records.log().get(f.records.log().size() - 1);
    assertEquals(generation, d.expectedGeneration());
    assertTrue(f.events.contains(ServiceEvent.DELETION));
    // The id is free again: a login gets the unknown user's fake KE2, a registration succeeds.
    ServiceFixture.Started st = f.start(alice, "pw");
    assertThrows(AuthenticationFailedException.class,
        () -> st.client().finish(Ke2.parse(st.answer().ke2()), Identities.NONE));
    assertInstanceOf(UserState.Absent.class, f.state(alice));
    f.register(alice, "pw");
  }

  @Test
  void aDeleteKeepsALockoutTrailForTheNextOwner() throws Exception {
    f.register(alice, "pw");
    for (int i = 0; i <= ServiceFixture.LIMIT; i++) {
      f.start(alice, "wrong");
    }
    f.register(alice, "pw");
    LoggedIn in = f.login(alice, "pw");
    f.service.delete(alice, in.token(), deleteBinding(in));
    List<Kind> trail = kinds(f.state(alice).audit());
    assertTrue(trail.contains(Kind.LOCKOUT));
    assertEquals(Kind.DELETE, trail.get(trail.size() - 1));
  }

  @Test
  void aLoginTokenIsUsedOnceAndAWrongBindingSpendsIt() throws Exception {
    f.register(alice, "pw");
    LoggedIn in = f.login(alice, "pw");
    byte[] wrong = deleteBinding(in);
    wrong[0] ^= 1;
    refused(Reason.LOGIN_FAILED, () -> f.service.delete(alice, in.token(), wrong));
    refused(Reason.NO_SESSION, () -> f.service.delete(alice, in.token(), deleteBinding(in)));
    assertInstanceOf(UserState.Present.class, f.state(alice));

    LoggedIn again = f.login(alice, "pw");
    f.service.delete(alice, again.token(), deleteBinding(again));
    refused(Reason.NO_SESSION, () -> f.service.delete(alice, again.token(),
        deleteBinding(again)));
  }

  @Test
  void aBindingForOneOperationDoesNotAuthoriseTheOther() throws Exception {
    f.register(alice, "pw");
    LoggedIn in = f.login(alice, "pw");
    NewRecord n = f.prepare(alice, "new");
    refused(Reason.LOGIN_FAILED, () -> f.service.changePassword(alice, in.token(),
        n.sessionId(), n.record(), n.sealedKey(), deleteBinding(in)));
    LoggedIn second = f.login(alice, "pw");
    NewRecord other = f.prepare(alice, "other");
    // A binding over other bytes than those sent.
    refused(Reason.LOGIN_FAILED, () -> f.service.changePassword(alice, second.token(),
        n.sessionId(), n.record(), n.sealedKey(), changeBinding(second, other)));
    f.login(alice, "pw");
  }

  @Test
  void aLoginTokenIsForItsUser() throws Exception {
    f.register(alice, "pw");
    LoggedIn in = f.login(alice, "pw");
    refused(Reason.FORBIDDEN, () -> f.service.delete(user("mallory"), in.token(),
        deleteBinding(in)));
    assertInstanceOf(UserState.Present.class, f.state(alice));
  }

  @Test
  void aDeleteOrChangeAfterTheRecordChangedIsRefused() throws Exception {
    f.register(alice, "pw");
    LoggedIn first = f.login(alice, "pw");
    LoggedIn second = f.login(alice, "pw");
    change(second, f.prepare(alice, "new"));
    refused(Reason.CHANGED, () -> f.service.delete(alice, first.token(),
        deleteBinding(first)));
    assertInstanceOf(UserState.Present.class, f.state(alice));

    LoggedIn third = f.login(alice, "new");
    for (int i = 0; i <= ServiceFixture.LIMIT; i++) {
      f.start(alice, "wrong");
    }
    NewRecord n = f.prepare(alice, "x");
    refused(Reason.CHANGED, () -> change(third, n));
    assertInstanceOf(UserState.Locked.class, f.state(alice));
  }

  @Test
  void aPasswordChangeReplacesTheRecordBoundToTheLogin() throws Exception {
    NewRecord old = f.register(alice, "pw");
    long generation = f.present(alice).record().generation();
    f.start(alice, "wrong");
    LoggedIn in = f.login(alice, "pw");
    NewRecord n = f.prepare(alice, "new");
    change(in, n);
    Command.Replace r = (Command.Replace) f.records.log().get(f.records.log().size() - 1);
    assertEquals(generation, r.expectedGeneration());
    UserState.Present p = f.present(alice);
    assertEquals(0, p.record().attemptsUsed());
    assertTrue(p.record().generation() > generation);
    assertEquals(Kind.PASSWORD_CHANGE, kinds(p.audit()).get(p.audit().size() - 1));
    assertTrue(f.events.contains(ServiceEvent.PASSWORD_CHANGE));
    LoggedIn after = f.login(alice, "new");
    assertTrue(n.backupKey().equalsConstantTime(after.backupKey()));
    assertFalse(old.backupKey().equalsConstantTime(after.backupKey()));
    ServiceFixture.Started s = f.start(alice, "pw");
    assertThrows(AuthenticationFailedException.class,
        () -> s.client().finish(Ke2.parse(s.answer().ke2()), Identities.NONE),
        "the old password no longer verifies");
    refused(Reason.NO_SESSION, () -> change(in, f.prepare(alice, "again")));
  }

  @Test
  void aPasswordChangeNeedsARegistrationSessionOfTheSameUser() throws Exception {
    f.register(alice, "pw");
    LoggedIn in = f.login(alice, "pw");
    NewRecord bobs = f.prepare(user("bob"), "new");
    refused(Reason.BAD_REQUEST, () -> change(in, bobs));
    f.login(alice, "pw");
  }

  @Test
  void malformedChangesAreRefusedBeforeAnythingIsCommitted() throws Exception {
    f.register(alice, "pw");
    LoggedIn in = f.login(alice, "pw");
    NewRecord n = f.prepare(alice, "new");
    int commits = f.records.log().size();
    refused(Reason.BAD_REQUEST, () -> f.service.changePassword(alice, new byte[31],
        n.sessionId(), n.record(), n.sealedKey(), changeBinding(in, n)));
    refused(Reason.BAD_REQUEST, () -> f.service.changePassword(alice, in.token(),
        n.sessionId(), new byte[3], n.sealedKey(), changeBinding(in, n)));
    refused(Reason.BAD_REQUEST, () -> f.service.delete(alice, new byte[5], new byte[32]));
    assertEquals(commits, f.records.log().size());
    change(in, n); // the token was not used up by refused input
  }

  @Test
  void aPasswordChangeCallsTheAfterWriteHookOnceWritten() throws Exception {
    f.register(alice, "pw");
    LoggedIn in = f.login(alice, "pw");
    NewRecord n = f.prepare(alice, "new");
    long generation = f.present(alice).record().generation();
    boolean[] called = {false};
    f.hooks.afterWrite = () -> {
      called[0] = true;
      assertTrue(f.present(alice).record().generation() > generation, "written first");
    };
    change(in, n);
    assertTrue(called[0]);
  }
}
