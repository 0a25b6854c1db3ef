package dev.bkv.node.service;

import dev.bkv.node.api.LoginBinding;
import dev.bkv.node.api.MigrationDigest;
import dev.bkv.node.raft.ReplicatedRecords;
import dev.bkv.node.raft.ReplicatedRecords.Committed;
import dev.bkv.node.api.ChannelError.Reason;
import dev.bkv.node.service.Sessions.Grant;
import dev.bkv.node.service.Sessions.Registration;
import dev.bkv.node.store.AuditEntry;
import dev.bkv.node.store.Command;
import dev.bkv.node.store.Outcome;
import dev.bkv.node.store.UserId;
import dev.bkv.node.store.UserRecord;
import dev.bkv.node.store.UserState;
import dev.bkv.opaque.CipherSuite;
import dev.bkv.opaque.Ke1;
import dev.bkv.opaque.Ke3;
import dev.bkv.opaque.Ksf;
import dev.bkv.opaque.RegistrationRecord;
import dev.bkv.opaque.RegistrationRequest;
import dev.bkv.opaque.ServerKeys;
import dev.bkv.opaque.RegistrationResponse;
import dev.bkv.crypto.Sha256;
import dev.bkv.ec.Point;
import dev.bkv.node.raft.Query;
import dev.bkv.node.store.KeyShares;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

/**
 * The vault's register/recover logic (DESIGN §6), free of any network types. Every mutation is
 * committed through the replicated records ({@link ReplicatedRecords}; Raft in a member) before
 * the caller hears of it; on a KE1 the attempt is committed <em>before</em> the HSM evaluates
 * anything ({@link Recovery}). Login state, registration salts and login tokens live in this
 * member's memory for {@code sessionTtlMs} ({@link Sessions}).
 */
public final class VaultService {
  /** Session ids are 16 random bytes; login tokens 32. */
  public static final int SESSION_ID_LENGTH = 16;
  public static final int LOGIN_TOKEN_LENGTH = 32;

  private final ServiceStore store;
  private final ServerKeys keys;
  private final RecordKey recordKey;
  private final ServiceConfig config;
  private final Clock clock;
  private final SecureRandom rng;
  private final EvaluationCounter evaluations;
  private final ServiceEvent.Listener events;
  private final ServiceHooks hooks;
  private final Sessions sessions;
  private final Recovery recovery;
  private final UserOprf oprf;

  public VaultService(ReplicatedRecords store, ServerKeys keys, RecordKey recordKey,
      ServiceConfig config, Clock clock, SecureRandom rng) {
    this(store, keys, recordKey, config, clock, rng, new EvaluationCounter());
  }

  /** With the member's evaluation counter (and its log, if configured). */
  public VaultService(ReplicatedRecords store, ServerKeys keys, RecordKey recordKey,
      ServiceConfig config, Clock clock, SecureRandom rng, EvaluationCounter evaluations) {
    this(store, keys, recordKey, config, clock, rng, evaluations, ServiceEvent.Listener.NONE,
        ServiceHooks.NONE);
  }

  /**
   * With the member's evaluation counter, a listener for operators' counters and the hooks
   * fault-injection tests use ({@link ServiceHooks#NONE} otherwise).
   */
  public VaultService(ReplicatedRecords store, ServerKeys keys, RecordKey recordKey,
      ServiceConfig config, Clock clock, SecureRandom rng, EvaluationCounter evaluations,
      ServiceEvent.Listener events, ServiceHooks hooks) {
    this(store, keys, UNAVAILABLE, recordKey, config, clock, rng, evaluations, events, hooks);
  }

  /**
   * The full service: {@code oprf} gives the per-user OPRF keys (DESIGN §10); the other
   * constructors have none and refuse every registration and login of a registered user.
   */
  VaultService(ReplicatedRecords store, ServerKeys keys, UserOprf oprf, RecordKey recordKey,
      ServiceConfig config, Clock clock, SecureRandom rng, EvaluationCounter evaluations,
      ServiceEvent.Listener events, ServiceHooks hooks) {
    this.oprf = oprf;
    this.store = new ServiceStore(store);
    this.evaluations = evaluations;
    this.events = ServiceEvent.Listener.guarded(events);
    this.hooks = hooks;
    this.keys = keys;
    this.recordKey = recordKey;
    this.config = config;
    this.clock = clock;
    this.rng = rng;
    this.sessions = new Sessions(config.sessionTtlMs(), clock, rng);
    // The server never stretches a password (the KSF runs on clients); the context must match.
    CipherSuite suite = new CipherSuite(config.contextBytes(), Ksf.IDENTITY);
    this.recovery = new Recovery(this.store, sessions, keys, oprf, suite, recordKey,
        config.attemptLimit(), evaluations, this.events, hooks, clock, rng);
  }

  /** For services built without per-user OPRF keys (API and fuzz tests without a fleet). */
  private static final UserOprf UNAVAILABLE = new UserOprf() {
    @Override
    public dev.bkv.node.store.KeyShares newShares(UserId user) throws ServiceException {
      throw unavailable();
    }

    @Override
    public dev.bkv.ec.Point evaluate(UserId user, dev.bkv.node.raft.Query.Purpose purpose,
        long index, dev.bkv.ec.Point b, dev.bkv.node.store.KeyShares shares, BeforeHsm before)
        throws ServiceException {
      throw unavailable();
    }

    @Override
    public void evaluateUnknown(UserId user, long index, dev.bkv.ec.Point b, BeforeHsm before)
        throws ServiceException {
      before.run();
    }

    private ServiceException unavailable() {
      return new ServiceException(Reason.UNAVAILABLE, "this service has no per-user OPRF keys");
    }
  };

  /** Result of {@link #registerStart}. */
  public record RegisterStarted(byte[] registrationResponse, byte[] sessionId) {}

  /**
   * Result of {@link #recoverStart}: KE2 with the attempts left and the log index of the attempt
   * (what the client's reset signature covers), or locked.
   */
  public record RecoverStarted(boolean locked, byte[] ke2, byte[] sessionId, int attemptsLeft,
      long attemptIndex) {}

  /** Result of {@link #recoverFinish}. */
  public record Recovered(byte[] encryptedSealedKey, byte[] loginToken, List<AuditEntry> audit) {}

  public ServerKeys serverKeys() {
    return keys;
  }

  public ServiceConfig config() {
    return config;
  }

  public EvaluationCounter evaluations() {
    return evaluations;
  }

  /**
   * Evaluates a registration request under a fresh salt. Harmless for existing users: the salt
   * makes a new OPRF key, unrelated to any stored record.
   */
  public RegisterStarted registerStart(UserId user, byte[] request) throws ServiceException {
    RegistrationRequest req = Requests.parse(() -> RegistrationRequest.parse(request));
    byte[] salt = new byte[StoredRecord.SALT_LENGTH];
    rng.nextBytes(salt);
    // Fresh key shares, born in HSMs, fixed with the blinded element by a committed Begin
    // before any member evaluates them (DESIGN §10).
    KeyShares shares = oprf.newShares(user);
    Committed begun = store.commit(new Command.Begin(user, clock.millis(),
        Sha256.hash(req.blindedElement().toCompressed()), shares));
    Outcome.Status status = begun.outcome().status();
    if (status != Outcome.Status.OK && status != Outcome.Status.REPLAYED) {
      throw new ServiceException(Reason.FAULT, "registration of " + user + " could not begin: "
          + status);
    }
    Point evaluated = oprf.evaluate(user, Query.Purpose.REGISTRATION, begun.index(),
        req.blindedElement(), shares, UserOprf.BeforeHsm.NONE);
    byte[] response = new RegistrationResponse(evaluated, keys.serverPublicKey()).toBytes();
    return new RegisterStarted(response, sessions.put(new Registration(user, salt,
        begun.index())));
  }

  /**
   * Stores the record; committed on a majority before this returns. {@code registrationId} is
   * the client's id for this registration (empty, or 16 random bytes kept across its retries):
   * if the user's live record was written by the same id, an earlier try was stored but its
   * reply lost, and this one is answered as done. The session must have been started for
   * {@code caller} (the user the request is authorised for).
   */
  public int registerFinish(UserId caller, byte[] sessionId, byte[] record, byte[] sealedKey,
      byte[] registrationId) throws ServiceException {
    return registerFinish(caller, sessionId, record, sealedKey, registrationId, new byte[0]);
  }

  /**
   * As above, giving the record {@code resetKey} (65 bytes, or empty for none): the key whose
   * signature after a login gives the record its attempts back (DESIGN §10).
   */
  public int registerFinish(UserId caller, byte[] sessionId, byte[] record, byte[] sealedKey,
      byte[] registrationId, byte[] resetKey) throws ServiceException {
    return registerFinish(caller, sessionId, record, sealedKey, registrationId, resetKey, false);
  }

  /**
   * As above; {@code staged} stores the record for a migration (DESIGN §11): it answers no
   * login until the earlier fleet's closure receipts activate it, and needs a registration id.
   */
  public int registerFinish(UserId caller, byte[] sessionId, byte[] record, byte[] sealedKey,
      byte[] registrationId, byte[] resetKey, boolean staged) throws ServiceException {
    if (staged && registrationId.length == 0) {
      throw new ServiceException(Reason.BAD_REQUEST, "a staged registration needs a "
          + "registration id (it names the registration in the migration's successor digest)");
    }
    RegistrationRecord opaque = Requests.newRecord(sessionId, record, sealedKey);
    Requests.parse(() -> {
      UserRecord.checkRegistrationId(registrationId);
      return registrationId;
    });
    Requests.resetKey(resetKey);
    Registration reg = sessions.registration(caller, sessionId);
    UserId user = reg.user();
    byte[] rec = new StoredRecord(reg.salt(), opaque).toBytes();
    byte[] blob = recordKey.wrap(user, config.epoch(), sealedKey);
    Command.Register register = new Command.Register(user, clock.millis(),
        config.epoch(), config.attemptLimit(), rec, blob, registrationId, reg.beginIndex(),
        resetKey);
    Committed committed = store.commit(staged ? new Command.Stage(register, MigrationDigest.of(
        user.bytes(), record, registrationId, resetKey)) : register);
    Outcome o = committed.outcome();
    switch (o.status()) {
      case OK:
        if (o.record().map(r -> r.generation() == committed.index()).orElse(false)) {
          events.on(ServiceEvent.REGISTRATION);
          afterWrite(); // this command wrote the record (not a retry answered as done)
        }
        return config.attemptLimit();
      case EXISTS:
        throw new ServiceException(Reason.EXISTS, user + " already has a live record; "
            + "change its password after a login instead");
      case CONFLICT:
        throw new ServiceException(Reason.CHANGED, "registration of " + user + " was "
            + "superseded by a newer one for the same user; start it again");
      case REPLAYED:
        UserState now = store.read(user);
        UserRecord written = now instanceof UserState.Present p ? p.record()
            : now instanceof UserState.Staged st ? st.record() : null;
        if (written != null && (written.writtenBy(registrationId)
            || Arrays.equals(written.registrationRecord(), rec))) {
          return config.attemptLimit();
        }
        throw new ServiceException(Reason.EXISTS, user + " already has a live record");
      default:
        throw new ServiceException(Reason.FAULT, "register of " + user + " answered "
            + o.status());
    }
  }

  public RecoverStarted recoverStart(UserId user, byte[] ke1) throws ServiceException {
    return recovery.start(user, Requests.parse(() -> Ke1.parse(ke1)));
  }

  /** Finishes a login that {@code caller} started at this member, without a reset. */
  public Recovered recoverFinish(UserId caller, byte[] sessionId, byte[] ke3)
      throws ServiceException {
    return recoverFinish(caller, sessionId, ke3, new byte[0]);
  }

  /**
   * Finishes a login; {@code resetSignature} (empty for none) is the record's reset key's
   * signature over the attempt, which gives the record its attempts back.
   */
  public Recovered recoverFinish(UserId caller, byte[] sessionId, byte[] ke3,
      byte[] resetSignature) throws ServiceException {
    Ke3 k = Requests.parse(() -> Ke3.parse(ke3));
    Requests.resetSignature(resetSignature);
    return recovery.finish(sessions.login(caller, sessionId), k, resetSignature);
  }

  /**
   * Erases the user the login token was issued for; {@code binding} must be {@link
   * LoginBinding#delete} under that login's binding key. The token is used up either way.
   */
  public void delete(UserId caller, byte[] loginToken, byte[] binding)
      throws ServiceException {
    delete(caller, loginToken, binding, new byte[0]);
  }

  /**
   * Erases the user, or with a 32-byte {@code successor} closes the record for a migration
   * (DESIGN §11): it then answers no login and this fleet's members sign closure receipts naming
   * the successor. {@code binding} must be {@link LoginBinding#close} over it.
   */
  public void delete(UserId caller, byte[] loginToken, byte[] binding, byte[] successor)
      throws ServiceException {
    if (successor.length != 0 && successor.length != MigrationDigest.LENGTH) {
      throw new ServiceException(Reason.BAD_REQUEST, "successor is " + successor.length
          + " bytes; expected " + MigrationDigest.LENGTH + " or none");
    }
    Grant g = sessions.grant(caller, loginToken);
    if (successor.length != 0) {
      requireBinding(g, LoginBinding.close(g.bindingKey(), loginToken, successor), binding,
          "close");
      Outcome o = store.commit(new Command.Close(g.user(), clock.millis(), g.generation(),
          successor)).outcome();
      requireOk(o, g.user(), "close");
      events.on(ServiceEvent.DELETION);
      return;
    }
    requireBinding(g, LoginBinding.delete(g.bindingKey(), loginToken), binding, "delete");
    Outcome o = store.commit(new Command.Delete(g.user(), clock.millis(), g.generation()))
        .outcome();
    requireOk(o, g.user(), "delete");
    events.on(ServiceEvent.DELETION);
  }

  /**
   * Replaces the record the login token was issued for with a new registration; {@code binding}
   * must be {@link LoginBinding#changePassword} over exactly these bytes under that login's
   * binding key.
   */
  public void changePassword(UserId caller, byte[] loginToken, byte[] sessionId, byte[] record,
      byte[] sealedKey, byte[] binding) throws ServiceException {
    changePassword(caller, loginToken, sessionId, record, sealedKey, new byte[0], binding);
  }

  /** As above, giving the new record {@code resetKey} (covered by the binding). */
  public void changePassword(UserId caller, byte[] loginToken, byte[] sessionId, byte[] record,
      byte[] sealedKey, byte[] resetKey, byte[] binding) throws ServiceException {
    RegistrationRecord opaque = Requests.newRecord(sessionId, record, sealedKey);
    Requests.requireLength(loginToken, LOGIN_TOKEN_LENGTH, "login token");
    Requests.resetKey(resetKey);
    Grant g = sessions.grant(caller, loginToken);
    requireBinding(g, LoginBinding.changePassword(g.bindingKey(), loginToken, sessionId, record,
        sealedKey, resetKey), binding, "password change");
    Registration reg = sessions.registration(sessionId);
    if (!reg.user().equals(g.user())) {
      throw new ServiceException(Reason.BAD_REQUEST, "registration session is for "
          + reg.user() + " but the login token for " + g.user());
    }
    byte[] rec = new StoredRecord(reg.salt(), opaque).toBytes();
    byte[] blob = recordKey.wrap(g.user(), config.epoch(), sealedKey);
    Outcome o = store.commit(new Command.Replace(g.user(), clock.millis(), g.generation(),
        config.epoch(), config.attemptLimit(), rec, blob, reg.beginIndex(), resetKey)).outcome();
    requireOk(o, g.user(), "password change");
    events.on(ServiceEvent.PASSWORD_CHANGE);
    afterWrite();
  }

  /**
   * Forgets expired login state, salts and login tokens now (otherwise only when the maps are
   * full); each expired login counts as {@link ServiceEvent#LOGIN_UNFINISHED}. The member calls
   * this every second.
   */
  public void purgeExpired() {
    int unfinished = sessions.purgeExpired();
    for (int i = 0; i < unfinished; i++) {
      events.on(ServiceEvent.LOGIN_UNFINISHED);
    }
  }

  /** Parses a user id from a request; a bad one is {@link Reason#BAD_REQUEST}. */
  public static UserId userId(byte[] id) throws ServiceException {
    try {
      return new UserId(id);
    } catch (IllegalArgumentException e) {
      throw new ServiceException(Reason.BAD_REQUEST, e.getMessage(), e);
    }
  }

  private void afterWrite() {
    try {
      hooks.afterWrite();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void requireBinding(Grant g, byte[] expected, byte[] received, String what)
      throws ServiceException {
    try {
      if (!LoginBinding.matches(expected, received)) {
        throw new ServiceException(Reason.LOGIN_FAILED, what + " of " + g.user() + " refused: "
            + "its login binding does not verify (it must come from the client that completed "
            + "the login)");
      }
    } finally {
      g.bindingKey().destroy();
    }
  }

  private static void requireOk(Outcome o, UserId user, String what) throws ServiceException {
    if (o.status() != Outcome.Status.OK) {
      throw new ServiceException(Reason.CHANGED, what + " of " + user + " refused: the record "
          + "is no longer the one the login verified (" + o.status() + ")");
    }
  }
}
