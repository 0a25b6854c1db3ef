package dev.bkv.node.service;

import dev.bkv.node.api.LoginBinding;
import dev.bkv.node.raft.ReplicatedStore;
import dev.bkv.node.raft.ReplicationException;
import dev.bkv.node.service.ServiceException.Reason;
import dev.bkv.node.service.internal.ExpiringSessions;
import dev.bkv.node.store.AuditEntry;
import dev.bkv.node.store.Command;
import dev.bkv.node.store.Outcome;
import dev.bkv.node.store.UserId;
import dev.bkv.node.store.UserRecord;
import dev.bkv.node.store.UserState;
import dev.bkv.opaque.CipherSuite;
import dev.bkv.opaque.Identities;
import dev.bkv.opaque.Ke1;
import dev.bkv.opaque.Ke3;
import dev.bkv.opaque.Ksf;
import dev.bkv.opaque.RegistrationRecord;
import dev.bkv.opaque.RegistrationRequest;
import dev.bkv.opaque.ServerKeys;
import dev.bkv.opaque.ServerLogin;
import dev.bkv.opaque.ServerRegistration;
import dev.bkv.recovery.BadInputException;
import dev.bkv.recovery.RecoveryException;
import dev.bkv.recovery.SecretBytes;
import dev.bkv.seal.SealedBackupKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;

/**
 * The vault's register/recover logic (DESIGN §6), free of any network types. Every mutation is
 * committed through Raft ({@link ReplicatedStore}) before the caller hears of it; on a KE1 the
 * attempt is committed <em>before</em> the HSM evaluates anything. Login state, registration
 * salts and login tokens live in this member's memory for {@code sessionTtlMs}.
 */
public final class VaultService {
  /**
   * A fault-injection point for tests, off unless the JVM is started with {@code
   * -Dbkv.test.delay-after-write-ms=N}: waits N ms after a registration or password change has
   * written its record and before answering, so that a client deadline loses the reply of a
   * write that took effect. A retried registration answered as done does not wait. Nothing else
   * reads it.
   */
  private static final long DELAY_AFTER_WRITE_MS =
      Long.getLong("bkv.test.delay-after-write-ms", 0);

  /** Session ids are 16 random bytes; login tokens 32. */
  public static final int SESSION_ID_LENGTH = 16;
  public static final int LOGIN_TOKEN_LENGTH = 32;
  private static final int MAX_PENDING = 100_000;

  private final ReplicatedStore store;
  private final ServerKeys keys;
  private final RecordKey recordKey;
  private final ServiceConfig config;
  private final CipherSuite suite;
  private final Clock clock;
  private final SecureRandom rng;
  private final EvaluationCounter evaluations;
  private final ServiceEvent.Listener events;
  private final ExpiringSessions<Registration> registrations;
  private final ExpiringSessions<Login> logins;
  private final ExpiringSessions<Grant> grants;
  private final Recovery recovery;

  record Registration(UserId user, byte[] salt) {}

  /** A login waiting for KE3; {@code blob} is null for an unknown user (fake KE2). */
  record Login(UserId user, long generation, long epoch, byte[] blob, ServerLogin server) {}

  /**
   * What a completed login allows: one delete or one password change of that record, bound to
   * the login by {@code bindingKey} ({@link LoginBinding#key}).
   */
  record Grant(UserId user, long generation, SecretBytes bindingKey) {}

  public VaultService(ReplicatedStore store, ServerKeys keys, RecordKey recordKey,
      ServiceConfig config, Clock clock, SecureRandom rng) {
    this(store, keys, recordKey, config, clock, rng, new EvaluationCounter());
  }

  /** With the member's evaluation counter (and its log, if configured). */
  public VaultService(ReplicatedStore store, ServerKeys keys, RecordKey recordKey,
      ServiceConfig config, Clock clock, SecureRandom rng, EvaluationCounter evaluations) {
    this(store, keys, recordKey, config, clock, rng, evaluations, ServiceEvent.Listener.NONE);
  }

  /** With the member's evaluation counter and a listener for operators' counters. */
  public VaultService(ReplicatedStore store, ServerKeys keys, RecordKey recordKey,
      ServiceConfig config, Clock clock, SecureRandom rng, EvaluationCounter evaluations,
      ServiceEvent.Listener events) {
    this.store = store;
    this.evaluations = evaluations;
    this.events = events;
    this.keys = keys;
    this.recordKey = recordKey;
    this.config = config;
    // The server never stretches a password (the KSF runs on clients); the context must match.
    this.suite = new CipherSuite(config.contextBytes(), Ksf.IDENTITY);
    this.clock = clock;
    this.rng = rng;
    this.registrations = new ExpiringSessions<>(SESSION_ID_LENGTH, config.sessionTtlMs(),
        MAX_PENDING, clock, rng);
    this.logins = new ExpiringSessions<>(SESSION_ID_LENGTH, config.sessionTtlMs(), MAX_PENDING,
        clock, rng);
    this.grants = new ExpiringSessions<>(LOGIN_TOKEN_LENGTH, config.sessionTtlMs(), MAX_PENDING,
        clock, rng);
    this.recovery = new Recovery(this);
  }

  /** Result of {@link #registerStart}. */
  public record RegisterStarted(byte[] registrationResponse, byte[] sessionId) {}

  /** Result of {@link #recoverStart}: KE2 with the attempts left, or locked. */
  public record RecoverStarted(boolean locked, byte[] ke2, byte[] sessionId, int attemptsLeft) {}

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
    RegistrationRequest req = parse(() -> RegistrationRequest.parse(request));
    byte[] salt = new byte[StoredRecord.SALT_LENGTH];
    rng.nextBytes(salt);
    byte[] response;
    try {
      response = new ServerRegistration(keys, StoredRecord.credentialIdentifier(user, salt))
          .start(req).toBytes();
    } catch (RecoveryException e) {
      throw fault("registration evaluation", e);
    }
    return new RegisterStarted(response, put(registrations, new Registration(user, salt)));
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
    StoredRecord stored = storedRecord(sessionId, record, sealedKey);
    parse(() -> {
      UserRecord.checkRegistrationId(registrationId);
      return registrationId;
    });
    Registration reg = take(registrations, sessionId, "registration session");
    UserId user = reg.user();
    requireCaller(caller, user, "registration session");
    byte[] rec = new StoredRecord(reg.salt(), stored.record()).toBytes();
    byte[] blob = recordKey.wrap(user, config.epoch(), sealedKey);
    ReplicatedStore.Committed committed = commit(new Command.Register(user, clock.millis(),
        config.epoch(), config.attemptLimit(), rec, blob, registrationId));
    Outcome o = committed.outcome();
    switch (o.status()) {
      case OK:
        if (o.record().map(r -> r.generation() == committed.index()).orElse(false)) {
          event(ServiceEvent.REGISTRATION);
          delayAfterWrite(); // this command wrote the record (not a retry answered as done)
        }
        return config.attemptLimit();
      case EXISTS:
        throw new ServiceException(Reason.EXISTS, user + " already has a live record; "
            + "change its password after a login instead");
      case REPLAYED:
        if (read(user) instanceof UserState.Present p
            && (p.record().writtenBy(registrationId)
                || java.util.Arrays.equals(p.record().registrationRecord(), rec))) {
          return config.attemptLimit();
        }
        throw new ServiceException(Reason.EXISTS, user + " already has a live record");
      default:
        throw new ServiceException(Reason.FAULT, "register of " + user + " answered "
            + o.status());
    }
  }

  public RecoverStarted recoverStart(UserId user, byte[] ke1) throws ServiceException {
    return recovery.start(user, parse(() -> Ke1.parse(ke1)));
  }

  /** Finishes a login that {@code caller} started at this member. */
  public Recovered recoverFinish(UserId caller, byte[] sessionId, byte[] ke3)
      throws ServiceException {
    Ke3 k = parse(() -> Ke3.parse(ke3));
    Login login = take(logins, sessionId, "login session");
    requireCaller(caller, login.user(), "login session");
    return recovery.finish(login, k);
  }

  /**
   * Erases the user the login token was issued for; {@code binding} must be {@link
   * LoginBinding#delete} under that login's binding key. The token is used up either way.
   */
  public void delete(UserId caller, byte[] loginToken, byte[] binding)
      throws ServiceException {
    Grant g = take(grants, loginToken, "login token");
    requireCaller(caller, g.user(), "login token");
    requireBinding(g, LoginBinding.delete(g.bindingKey(), loginToken), binding, "delete");
    Outcome o = submit(new Command.Delete(g.user(), clock.millis(), g.generation()));
    requireOk(o, g.user(), "delete");
    event(ServiceEvent.DELETION);
  }

  /**
   * Replaces the record the login token was issued for with a new registration; {@code binding}
   * must be {@link LoginBinding#changePassword} over exactly these bytes under that login's
   * binding key.
   */
  public void changePassword(UserId caller, byte[] loginToken, byte[] sessionId, byte[] record,
      byte[] sealedKey, byte[] binding) throws ServiceException {
    StoredRecord stored = storedRecord(sessionId, record, sealedKey);
    if (loginToken == null || loginToken.length != LOGIN_TOKEN_LENGTH) {
      throw new ServiceException(Reason.BAD_REQUEST, "login token is "
          + (loginToken == null ? 0 : loginToken.length) + " bytes; expected "
          + LOGIN_TOKEN_LENGTH);
    }
    Grant g = take(grants, loginToken, "login token");
    requireCaller(caller, g.user(), "login token");
    requireBinding(g, LoginBinding.changePassword(g.bindingKey(), loginToken, sessionId, record,
        sealedKey), binding, "password change");
    Registration reg = take(registrations, sessionId, "registration session");
    if (!reg.user().equals(g.user())) {
      throw new ServiceException(Reason.BAD_REQUEST, "registration session is for "
          + reg.user() + " but the login token for " + g.user());
    }
    byte[] rec = new StoredRecord(reg.salt(), stored.record()).toBytes();
    byte[] blob = recordKey.wrap(g.user(), config.epoch(), sealedKey);
    requireOk(submit(new Command.Replace(g.user(), clock.millis(), g.generation(),
        config.epoch(), config.attemptLimit(), rec, blob)), g.user(), "password change");
    event(ServiceEvent.PASSWORD_CHANGE);
    delayAfterWrite();
  }

  /**
   * Forgets expired login state, salts and login tokens now (otherwise only when the maps are
   * full); each expired login counts as {@link ServiceEvent#LOGIN_UNFINISHED}. The member calls
   * this every second.
   */
  public void purgeExpired() {
    int unfinished = logins.purgeExpired();
    for (int i = 0; i < unfinished; i++) {
      event(ServiceEvent.LOGIN_UNFINISHED);
    }
    registrations.purgeExpired();
    grants.purgeExpired();
  }

  private static void delayAfterWrite() {
    if (DELAY_AFTER_WRITE_MS > 0) {
      try {
        Thread.sleep(DELAY_AFTER_WRITE_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  // ---- shared with Recovery ----

  /** Tells the listener; a failing listener never fails the request. */
  void event(ServiceEvent e) {
    try {
      events.on(e);
    } catch (RuntimeException ignored) {
      // operators' counters must not change what a client is told
    }
  }

  CipherSuite suite() {
    return suite;
  }

  Clock clock() {
    return clock;
  }

  SecureRandom rng() {
    return rng;
  }

  RecordKey recordKey() {
    return recordKey;
  }

  byte[] newLogin(Login login) throws ServiceException {
    return put(logins, login);
  }

  byte[] newGrant(Grant grant) throws ServiceException {
    return put(grants, grant);
  }

  Outcome submit(Command c) throws ServiceException {
    return commit(c).outcome();
  }

  ReplicatedStore.Committed commit(Command c) throws ServiceException {
    try {
      return store.commit(c);
    } catch (ReplicationException e) {
      throw new ServiceException(Reason.UNAVAILABLE, "the fleet did not commit "
          + c.getClass().getSimpleName().toLowerCase() + " for " + c.userId() + ": "
          + e.getMessage(), e);
    }
  }

  UserState read(UserId user) throws ServiceException {
    try {
      return store.get(user);
    } catch (ReplicationException e) {
      throw new ServiceException(Reason.UNAVAILABLE, "reading " + user + " failed: "
          + e.getMessage(), e);
    }
  }

  static ServiceException fault(String what, RecoveryException e) {
    return new ServiceException(Reason.FAULT, what + " failed: " + e.getMessage(), e);
  }

  // ---- helpers ----

  private StoredRecord storedRecord(byte[] sessionId, byte[] record, byte[] sealedKey)
      throws ServiceException {
    if (sessionId == null || sessionId.length != SESSION_ID_LENGTH) {
      throw new ServiceException(Reason.BAD_REQUEST, "session id is "
          + (sessionId == null ? 0 : sessionId.length) + " bytes; expected " + SESSION_ID_LENGTH);
    }
    RegistrationRecord r = parse(() -> RegistrationRecord.parse(record));
    parse(() -> SealedBackupKey.parse(sealedKey));
    return new StoredRecord(new byte[StoredRecord.SALT_LENGTH], r);
  }

  /** A session or token may only be used by a request authorised for its own user. */
  private static void requireCaller(UserId caller, UserId owner, String what)
      throws ServiceException {
    if (!caller.equals(owner)) {
      throw new ServiceException(Reason.FORBIDDEN, "the " + what + " belongs to another user "
          + "than the request is authorised for");
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

  /** Parses a user id from a request; a bad one is {@link Reason#BAD_REQUEST}. */
  public static UserId userId(byte[] id) throws ServiceException {
    try {
      return new UserId(id);
    } catch (IllegalArgumentException e) {
      throw new ServiceException(Reason.BAD_REQUEST, e.getMessage(), e);
    }
  }

  private <V> byte[] put(ExpiringSessions<V> sessions, V value) throws ServiceException {
    byte[] id = sessions.put(value);
    if (id == null) {
      throw new ServiceException(Reason.UNAVAILABLE, "too many pending sessions on this member");
    }
    return id;
  }

  private static <V> V take(ExpiringSessions<V> sessions, byte[] id, String what)
      throws ServiceException {
    if (id == null || id.length != sessions.idLength()) {
      throw new ServiceException(Reason.BAD_REQUEST, what + " is "
          + (id == null ? 0 : id.length) + " bytes; expected " + sessions.idLength());
    }
    V v = sessions.take(id);
    if (v == null) {
      throw new ServiceException(Reason.NO_SESSION, what + " is unknown, used or expired "
          + "on this member (finish a flow at the member that started it)");
    }
    return v;
  }

  private interface Parser<T> {
    T parse() throws BadInputException;
  }

  private static <T> T parse(Parser<T> p) throws ServiceException {
    try {
      return p.parse();
    } catch (BadInputException e) {
      throw new ServiceException(Reason.BAD_REQUEST, e.getMessage(), e);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ServiceException(Reason.BAD_REQUEST, "malformed message: " + e.getMessage(), e);
    }
  }
}
