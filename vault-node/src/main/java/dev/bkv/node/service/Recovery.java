package dev.bkv.node.service;

import dev.bkv.node.api.LoginBinding;
import dev.bkv.node.api.SessionBox;
import dev.bkv.node.raft.ReplicatedStore;
import dev.bkv.node.service.ServiceException.Reason;
import dev.bkv.node.service.VaultService.Grant;
import dev.bkv.node.service.VaultService.Login;
import dev.bkv.node.service.VaultService.RecoverStarted;
import dev.bkv.node.service.VaultService.Recovered;
import dev.bkv.node.store.AuditEntry;
import dev.bkv.node.store.Command;
import dev.bkv.node.store.Outcome;
import dev.bkv.node.store.UserId;
import dev.bkv.node.store.UserRecord;
import dev.bkv.node.store.UserState;
import dev.bkv.opaque.Identities;
import dev.bkv.opaque.Ke1;
import dev.bkv.opaque.Ke3;
import dev.bkv.opaque.RegistrationRecord;
import dev.bkv.opaque.ServerLogin;
import dev.bkv.recovery.AuthenticationFailedException;
import dev.bkv.recovery.BadInputException;
import dev.bkv.recovery.RecoveryException;
import dev.bkv.recovery.SecretBytes;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;

/**
 * The two halves of a login. {@link #start}: commit {@code Attempt} through Raft, and only then
 * let the HSM evaluate (a locked or just-destroyed record gets no evaluation at all). {@link
 * #finish}: verify KE3, commit {@code Reset} bound to the record's generation, open the blob
 * with the HSM record key and send the sealed key back under the session key.
 */
final class Recovery {
  /**
   * A fault-injection point for tests, off unless the JVM is started with {@code
   * -Dbkv.test.delay-after-attempt-ms=N}: waits N ms after an attempt commits and before the
   * HSM evaluates, widening the window in which a crash leaves a counted attempt that was
   * never evaluated. Nothing else reads it.
   */
  private static final long DELAY_AFTER_ATTEMPT_MS =
      Long.getLong("bkv.test.delay-after-attempt-ms", 0);

  private final VaultService svc;

  Recovery(VaultService svc) {
    this.svc = svc;
  }

  RecoverStarted start(UserId user, Ke1 ke1) throws ServiceException {
    long now = svc.clock().millis();
    ReplicatedStore.Committed attempt = svc.commit(new Command.Attempt(user, now));
    svc.event(ServiceEvent.ATTEMPT_COMMITTED);
    Outcome o = attempt.outcome();
    UserRecord rec;
    switch (o.status()) {
      case OK -> rec = o.record().orElseThrow(() -> new ServiceException(Reason.FAULT,
          "attempt for " + user + " answered OK without a record"));
      case LOCKED -> {
        svc.event(lockedBy(user, now) ? ServiceEvent.LOCKOUT : ServiceEvent.REFUSED_LOCKED);
        return new RecoverStarted(true, null, null, 0);
      }
      case UNKNOWN -> rec = null;
      case REPLAYED -> {
        // Applied before a member restart; the attempt is counted. Read what it left.
        UserState s = svc.read(user);
        if (s instanceof UserState.Locked) {
          return new RecoverStarted(true, null, null, 0);
        }
        rec = s instanceof UserState.Present p ? p.record() : null;
      }
      default -> throw new ServiceException(Reason.FAULT, "attempt for " + user + " answered "
          + o.status());
    }
    // The attempt is durable on a majority: only now may the HSM evaluate.
    if (DELAY_AFTER_ATTEMPT_MS > 0) {
      try {
        Thread.sleep(DELAY_AFTER_ATTEMPT_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ServiceException(Reason.UNAVAILABLE, "interrupted", e);
      }
    }
    StoredRecord stored = rec == null ? null : stored(user, rec);
    byte[] credentialId = stored != null ? stored.credentialIdentifier(user)
        : StoredRecord.credentialIdentifier(user, new byte[StoredRecord.SALT_LENGTH]);
    RegistrationRecord opaque = stored == null ? null : stored.record();
    try {
      svc.evaluations().countLogin(user, attempt.index(), rec == null ? -1 : rec.attemptsUsed(),
          rec == null ? -1 : rec.attemptLimit());
    } catch (IOException e) {
      throw new ServiceException(Reason.FAULT, "cannot append to the evaluation log: "
          + e.getMessage(), e);
    }
    ServerLogin server;
    try {
      server = ServerLogin.start(svc.suite(), svc.serverKeys(), credentialId, opaque, ke1,
          Identities.NONE, svc.rng());
    } catch (RecoveryException e) {
      throw VaultService.fault("login evaluation for " + user, e);
    }
    svc.event(ServiceEvent.EVALUATION);
    // An unknown user is told what a fresh record would say after one wrong guess.
    int left = rec != null ? rec.attemptsLeft() : svc.config().attemptLimit() - 1;
    Login login = rec == null ? new Login(user, -1, -1, null, server)
        : new Login(user, rec.generation(), rec.epoch(), rec.sealedKey(), server);
    return new RecoverStarted(false, server.ke2().toBytes(), svc.newLogin(login), left);
  }

  Recovered finish(Login login, Ke3 ke3) throws ServiceException {
    UserId user = login.user();
    ServerLogin.Result result;
    try {
      result = login.server().finish(ke3);
    } catch (AuthenticationFailedException e) {
      svc.event(ServiceEvent.WRONG_PASSWORD);
      throw new ServiceException(Reason.LOGIN_FAILED, "KE3 for " + user + " did not verify");
    }
    SecretBytes sessionKey = result.sessionKey();
    try {
      if (login.blob() == null) {
        svc.event(ServiceEvent.WRONG_PASSWORD);
        throw new ServiceException(Reason.LOGIN_FAILED, "KE3 for " + user + " did not verify");
      }
      ReplicatedStore.Committed reset = svc.commit(new Command.Reset(user,
          svc.clock().millis(), login.generation()));
      Outcome o = reset.outcome();
      if (o.status() == Outcome.Status.REPLAYED) {
        UserState s = svc.read(user);
        if (!(s instanceof UserState.Present p) || p.record().generation() != login.generation()) {
          throw changed(user, "the record changed during the login");
        }
      } else if (o.status() != Outcome.Status.OK) {
        throw changed(user, "the record was " + o.status() + " during the login");
      }
      byte[] sealed = svc.recordKey().open(user, login.epoch(), login.blob());
      byte[] box;
      try {
        box = SessionBox.seal(sessionKey, sealed, svc.rng());
      } catch (GeneralSecurityException e) {
        throw new ServiceException(Reason.FAULT, "encrypting the sealed key failed", e);
      } finally {
        Arrays.fill(sealed, (byte) 0);
      }
      try {
        svc.evaluations().countSuccess(user, reset.index());
      } catch (IOException e) {
        throw new ServiceException(Reason.FAULT, "cannot append to the evaluation log: "
            + e.getMessage(), e);
      }
      byte[] token = svc.newGrant(new Grant(user, login.generation(),
          LoginBinding.key(sessionKey)));
      svc.event(ServiceEvent.RECOVERY);
      return new Recovered(box, token, audit(user));
    } finally {
      sessionKey.destroy();
    }
  }

  /**
   * Whether the attempt committed at {@code attemptTime} is the one that destroyed the record
   * (rather than one refused because an earlier attempt had): the lockout carries the time of
   * the attempt that caused it. Only for operators' counters; a failed read says no.
   */
  private boolean lockedBy(UserId user, long attemptTime) {
    try {
      return svc.read(user) instanceof UserState.Locked l && l.lockedAt() == attemptTime;
    } catch (ServiceException e) {
      return false;
    }
  }

  private List<AuditEntry> audit(UserId user) {
    try {
      return svc.read(user).audit();
    } catch (ServiceException e) {
      return List.of(); // The audit trail is a courtesy; the recovery itself succeeded.
    }
  }

  private static ServiceException changed(UserId user, String why) {
    return new ServiceException(Reason.CHANGED, "login of " + user + " refused: " + why);
  }

  private static StoredRecord stored(UserId user, UserRecord rec) throws ServiceException {
    try {
      return StoredRecord.parse(rec.registrationRecord());
    } catch (BadInputException e) {
      throw new ServiceException(Reason.FAULT, "stored record of " + user + " is corrupt: "
          + e.getMessage(), e);
    }
  }
}
