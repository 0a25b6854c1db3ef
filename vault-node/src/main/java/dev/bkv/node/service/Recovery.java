package dev.bkv.node.service;

import dev.bkv.node.api.LoginBinding;
import dev.bkv.node.api.SessionBox;
import dev.bkv.node.raft.ReplicatedRecords.Committed;
import dev.bkv.node.api.ChannelError.Reason;
import dev.bkv.node.service.Sessions.Grant;
import dev.bkv.node.service.Sessions.Login;
import dev.bkv.node.service.VaultService.RecoverStarted;
import dev.bkv.node.service.VaultService.Recovered;
import dev.bkv.node.store.AuditEntry;
import dev.bkv.node.store.Command;
import dev.bkv.node.store.Outcome;
import dev.bkv.node.store.UserId;
import dev.bkv.node.store.UserRecord;
import dev.bkv.node.store.UserState;
import dev.bkv.crypto.Sha256;
import dev.bkv.ec.Point;
import dev.bkv.node.raft.Query;
import dev.bkv.opaque.CipherSuite;
import dev.bkv.opaque.Identities;
import dev.bkv.opaque.Ke1;
import dev.bkv.opaque.Ke3;
import dev.bkv.opaque.RegistrationRecord;
import dev.bkv.opaque.ServerKeys;
import dev.bkv.opaque.ServerLogin;
import dev.bkv.recovery.AuthenticationFailedException;
import dev.bkv.recovery.BadInputException;
import dev.bkv.recovery.RecoveryException;
import dev.bkv.recovery.SecretBytes;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

/**
 * The two halves of a login. {@link #start}: commit {@code Attempt} through Raft, and only then
 * let the HSM evaluate (a locked or just-destroyed record gets no evaluation at all). {@link
 * #finish}: verify KE3, commit {@code Reset} bound to the record's generation, open the blob
 * with the HSM record key and send the sealed key back under the session key.
 */
final class Recovery {
  private final ServiceStore store;
  private final Sessions sessions;
  private final ServerKeys keys;
  private final UserOprf oprf;
  private final CipherSuite suite;
  private final RecordKey recordKey;
  private final int attemptLimit;
  private final EvaluationCounter evaluations;
  private final ServiceEvent.Listener events;
  private final ServiceHooks hooks;
  private final Clock clock;
  private final SecureRandom rng;

  /**
   * @param attemptLimit the limit a fresh record would have, for the fake KE2 of an unknown user
   * @param events a listener that does not throw ({@link ServiceEvent.Listener#guarded})
   */
  Recovery(ServiceStore store, Sessions sessions, ServerKeys keys, UserOprf oprf,
      CipherSuite suite,
      RecordKey recordKey, int attemptLimit, EvaluationCounter evaluations,
      ServiceEvent.Listener events, ServiceHooks hooks, Clock clock, SecureRandom rng) {
    this.store = store;
    this.sessions = sessions;
    this.keys = keys;
    this.oprf = oprf;
    this.suite = suite;
    this.recordKey = recordKey;
    this.attemptLimit = attemptLimit;
    this.evaluations = evaluations;
    this.events = events;
    this.hooks = hooks;
    this.clock = clock;
    this.rng = rng;
  }

  RecoverStarted start(UserId user, Ke1 ke1) throws ServiceException {
    long now = clock.millis();
    // The attempt commits the blinded element it may be evaluated on: peers evaluate their
    // shares for this attempt on nothing else (DESIGN §10).
    Committed attempt = store.commit(new Command.Attempt(user, now,
        Sha256.hash(ke1.blindedElement().toCompressed())));
    events.on(ServiceEvent.ATTEMPT_COMMITTED);
    Outcome o = attempt.outcome();
    UserRecord rec;
    switch (o.status()) {
      case OK -> rec = o.record().orElseThrow(() -> new ServiceException(Reason.FAULT,
          "attempt for " + user + " answered OK without a record"));
      case LOCKED -> {
        events.on(lockedBy(user, now) ? ServiceEvent.LOCKOUT : ServiceEvent.REFUSED_LOCKED);
        return new RecoverStarted(true, null, null, 0, attempt.index());
      }
      case UNKNOWN -> rec = null;
      case REPLAYED -> {
        // Applied before a member restart; the attempt is counted. Read what it left.
        UserState s = store.read(user);
        if (s instanceof UserState.Locked) {
          return new RecoverStarted(true, null, null, 0, attempt.index());
        }
        rec = s instanceof UserState.Present p ? p.record() : null;
      }
      default -> throw new ServiceException(Reason.FAULT, "attempt for " + user + " answered "
          + o.status());
    }
    // The attempt is durable on a majority: only now may the HSM evaluate.
    try {
      hooks.afterAttempt();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServiceException(Reason.UNAVAILABLE, "interrupted", e);
    }
    StoredRecord stored = rec == null ? null : stored(user, rec);
    byte[] credentialId = stored != null ? stored.credentialIdentifier(user)
        : StoredRecord.credentialIdentifier(user, new byte[StoredRecord.SALT_LENGTH]);
    RegistrationRecord opaque = stored == null ? null : stored.record();
    // The peers' partials first; the evaluation log line goes in once they are all there, just
    // before this member's HSM evaluates (a login a peer cannot serve evaluates nothing here).
    UserOprf.BeforeHsm logIt = () -> {
      try {
        evaluations.countLogin(user, attempt.index(), rec == null ? -1 : rec.attemptsUsed(),
            rec == null ? -1 : rec.attemptLimit());
      } catch (IOException e) {
        throw new ServiceException(Reason.FAULT, "cannot append to the evaluation log: "
            + e.getMessage(), e);
      }
    };
    ServerLogin server;
    try {
      Point evaluated;
      if (rec != null) {
        if (rec.shares().isEmpty()) {
          throw new ServiceException(Reason.FAULT, "the record of " + user + " has no OPRF key "
              + "shares (it predates per-user keys); register again");
        }
        evaluated = oprf.evaluate(user, Query.Purpose.LOGIN, attempt.index(),
            ke1.blindedElement(), rec.shares(), logIt);
      } else {
        // An unknown user: the same round trip, and an answer as deterministic as a real one.
        oprf.evaluateUnknown(user, attempt.index(), ke1.blindedElement(), logIt);
        evaluated = keys.evaluate(credentialId, ke1.blindedElement());
      }
      server = ServerLogin.start(suite, keys, credentialId, opaque, ke1,
          Identities.NONE, ServerLogin.Nonces.random(rng), evaluated);
    } catch (RecoveryException e) {
      throw Requests.fault("login evaluation for " + user, e);
    }
    events.on(ServiceEvent.EVALUATION);
    // An unknown user is told what a fresh record would say after one wrong guess.
    int left = rec != null ? rec.attemptsLeft() : attemptLimit - 1;
    Login login = rec == null ? new Login(user, -1, -1, null, server, attempt.index())
        : new Login(user, rec.generation(), rec.epoch(), rec.sealedKey(), server,
            attempt.index());
    return new RecoverStarted(false, server.ke2().toBytes(), sessions.put(login), left,
        attempt.index());
  }

  /**
   * Verifies KE3; then, with the client's reset signature, commits {@code Reset} (the record's
   * attempts back to zero, DESIGN §10), and without one (or with one the record's reset key does
   * not verify) only checks that the record is still the version the login was verified
   * against. Either way the sealed key goes back under the session key.
   */
  Recovered finish(Login login, Ke3 ke3, byte[] resetSignature) throws ServiceException {
    UserId user = login.user();
    ServerLogin.Result result;
    try {
      result = login.server().finish(ke3);
    } catch (AuthenticationFailedException e) {
      events.on(ServiceEvent.WRONG_PASSWORD);
      throw new ServiceException(Reason.LOGIN_FAILED, "KE3 for " + user + " did not verify");
    }
    SecretBytes sessionKey = result.sessionKey();
    try {
      if (login.blob() == null) {
        events.on(ServiceEvent.WRONG_PASSWORD);
        throw new ServiceException(Reason.LOGIN_FAILED, "KE3 for " + user + " did not verify");
      }
      long successIndex = -1;
      Outcome.Status status = Outcome.Status.UNPROVEN;
      if (resetSignature.length > 0) {
        Committed reset = store.commit(new Command.Reset(user, clock.millis(),
            login.generation(), login.attemptIndex(), resetSignature));
        status = reset.outcome().status();
        successIndex = reset.index();
      }
      if (status == Outcome.Status.REPLAYED || status == Outcome.Status.UNPROVEN) {
        UserState s = store.read(user);
        if (!(s instanceof UserState.Present p) || p.record().generation() != login.generation()) {
          throw changed(user, "the record changed during the login");
        }
      } else if (status != Outcome.Status.OK) {
        throw changed(user, "the record was " + status + " during the login");
      }
      byte[] sealed = recordKey.open(user, login.epoch(), login.blob());
      byte[] box;
      try {
        box = SessionBox.seal(sessionKey, sealed, rng);
      } catch (GeneralSecurityException e) {
        throw new ServiceException(Reason.FAULT, "encrypting the sealed key failed", e);
      } finally {
        Arrays.fill(sealed, (byte) 0);
      }
      try {
        if (status == Outcome.Status.OK) {
          evaluations.countSuccess(user, successIndex); // the counter went back to zero
        }
      } catch (IOException e) {
        throw new ServiceException(Reason.FAULT, "cannot append to the evaluation log: "
            + e.getMessage(), e);
      }
      byte[] token = sessions.put(new Grant(user, login.generation(),
          LoginBinding.key(sessionKey)));
      events.on(ServiceEvent.RECOVERY);
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
      return store.read(user) instanceof UserState.Locked l && l.lockedAt() == attemptTime;
    } catch (ServiceException e) {
      return false;
    }
  }

  private List<AuditEntry> audit(UserId user) {
    try {
      return store.read(user).audit();
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
