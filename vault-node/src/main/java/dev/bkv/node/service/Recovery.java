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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The two halves of a login. {@link #start}: commit {@code Attempt} through Raft, and only then
 * let the HSM evaluate (a locked or just-destroyed record gets no evaluation at all). {@link
 * #finish}: verify KE3, submit {@code Reset} bound to the record's generation, check with a
 * linearizable read that the record is still the version the login was verified against, open
 * the blob with the HSM record key and send the sealed key back under the session key.
 *
 * <p>The reset commits in the background: the client waits for one commit per login (its
 * attempt), not two. Until the reset applies, the record counts this login's attempt as used,
 * which is the safe direction; this member's next attempt for the same user waits for it, so a
 * user logging in again here never finds the attempt still counted.
 */
final class Recovery {
  private static final System.Logger LOG = System.getLogger(Recovery.class.getName());
  /** How long a login waits for this member's pending reset of the same user. */
  private static final long RESET_WAIT_MS = 5_000;
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
  /** Resets submitted and not yet committed, per user (at most one a login). */
  private final java.util.Map<UserId, CompletableFuture<Void>> resets =
      new java.util.concurrent.ConcurrentHashMap<>();

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
    awaitReset(user);
    long t0 = System.nanoTime();
    long now = clock.millis();
    // The attempt commits the blinded element it may be evaluated on: peers evaluate their
    // shares for this attempt on nothing else (DESIGN §10).
    Committed attempt = store.commit(new Command.Attempt(user, now,
        Sha256.hash(ke1.blindedElement().toCompressed())));
    events.on(ServiceEvent.ATTEMPT_COMMITTED);
    long t1 = System.nanoTime();
    events.took(ServiceEvent.Stage.ATTEMPT_COMMIT, t1 - t0);
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
      long t2 = System.nanoTime();
      events.took(ServiceEvent.Stage.EVALUATION, t2 - t1);
      t1 = t2;
      server = ServerLogin.start(suite, keys, credentialId, opaque, ke1,
          Identities.NONE, ServerLogin.Nonces.random(rng), evaluated);
    } catch (RecoveryException e) {
      throw Requests.fault("login evaluation for " + user, e);
    }
    events.on(ServiceEvent.EVALUATION);
    events.took(ServiceEvent.Stage.KE2, System.nanoTime() - t1);
    // An unknown user is told what a fresh record would say after one wrong guess.
    int left = rec != null ? rec.attemptsLeft() : attemptLimit - 1;
    Login login = rec == null ? new Login(user, -1, -1, null, server, attempt.index())
        : new Login(user, rec.generation(), rec.epoch(), rec.sealedKey(), server,
            attempt.index());
    return new RecoverStarted(false, server.ke2().toBytes(), sessions.put(login), left,
        attempt.index());
  }

  /**
   * Verifies KE3; then, with the client's reset signature, submits {@code Reset} (the record's
   * attempts back to zero once it commits, DESIGN §10) without waiting for it. Either way a
   * linearizable read checks that the record is still the version the login was verified
   * against (a password changed or a record deleted since refuses the login), and the sealed
   * key goes back under the session key.
   */
  Recovered finish(Login login, Ke3 ke3, byte[] resetSignature) throws ServiceException {
    UserId user = login.user();
    long t0 = System.nanoTime();
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
      Command.Reset reset = resetSignature.length == 0 ? null : new Command.Reset(user,
          clock.millis(), login.generation(), login.attemptIndex(), resetSignature);
      if (reset != null) {
        submit(reset);
      }
      UserState s = store.read(user);
      if (!(s instanceof UserState.Present p) || p.record().generation() != login.generation()) {
        throw changed(user, "the record changed during the login");
      }
      long t1 = System.nanoTime();
      events.took(ServiceEvent.Stage.FINISH_CHECK, t1 - t0);
      byte[] sealed = recordKey.open(user, login.epoch(), login.blob());
      byte[] box;
      try {
        box = SessionBox.seal(sessionKey, sealed, rng);
      } catch (GeneralSecurityException e) {
        throw new ServiceException(Reason.FAULT, "encrypting the sealed key failed", e);
      } finally {
        Arrays.fill(sealed, (byte) 0);
      }
      byte[] token = sessions.put(new Grant(user, login.generation(),
          LoginBinding.key(sessionKey)));
      events.on(ServiceEvent.RECOVERY);
      events.took(ServiceEvent.Stage.OPEN, System.nanoTime() - t1);
      return new Recovered(box, token, audit(p, reset));
    } finally {
      sessionKey.destroy();
    }
  }

  /**
   * Commits {@code reset} in the background. Once it commits, the success goes to the
   * evaluation log with the reset's index; a reset refused (the record changed, or the
   * signature did not verify) leaves the attempts counted.
   */
  private void submit(Command.Reset reset) {
    UserId user = reset.userId();
    CompletableFuture<Void> done = new CompletableFuture<>();
    resets.put(user, done);
    store.commitInBackground(reset).whenComplete((c, failure) -> {
      try {
        if (failure != null) {
          LOG.log(System.Logger.Level.WARNING, "the reset of {0} after its login did not "
              + "commit; its attempts stay counted: {1}", user, failure.getMessage());
        } else if (c.outcome().status() == Outcome.Status.OK) {
          evaluations.countSuccess(user, c.index()); // the counter went back to zero
        }
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "cannot append the success of {0} to the "
            + "evaluation log: {1}", user, e.getMessage());
      } finally {
        resets.remove(user, done);
        done.complete(null);
      }
    });
  }

  /** Waits (bounded) for this member's reset of {@code user} still being committed, if any. */
  private void awaitReset(UserId user) throws ServiceException {
    CompletableFuture<Void> pending = resets.get(user);
    if (pending == null) {
      return;
    }
    try {
      pending.get(RESET_WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServiceException(Reason.UNAVAILABLE, "interrupted", e);
    } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
      // Not committed in time: the attempt that follows finds the earlier one still counted.
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

  /**
   * The audit trail the client is shown: the record's as read, and this login's success when
   * its reset is still committing (the entry the reset adds).
   */
  private static List<AuditEntry> audit(UserState.Present read, Command.Reset reset) {
    List<AuditEntry> trail = read.audit();
    if (reset == null || (!trail.isEmpty() && trail.get(trail.size() - 1).kind()
        == AuditEntry.Kind.SUCCESS && trail.get(trail.size() - 1).timeMillis()
        == reset.timeMillis())) {
      return trail;
    }
    List<AuditEntry> out = new java.util.ArrayList<>(trail);
    out.add(new AuditEntry(AuditEntry.Kind.SUCCESS, reset.timeMillis(),
        read.record().attemptsUsed(), read.record().attemptLimit()));
    return out;
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
