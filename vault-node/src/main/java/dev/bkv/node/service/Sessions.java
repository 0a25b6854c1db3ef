package dev.bkv.node.service;

import dev.bkv.node.api.LoginBinding;
import dev.bkv.node.api.ChannelError.Reason;
import dev.bkv.node.service.internal.ExpiringSessions;
import dev.bkv.node.store.UserId;
import dev.bkv.opaque.ServerLogin;
import dev.bkv.recovery.SecretBytes;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * What this member remembers between two requests, each for {@code ttlMs} and at most {@value
 * #MAX_PENDING} of a kind: registration salts and login state (by 16-byte session id), and
 * login tokens (32 bytes). Each is taken once.
 */
final class Sessions {
  static final int MAX_PENDING = 100_000;

  /** A registration waiting for its record: the salt its evaluation used. */
  /** A registration begun at log index {@code beginIndex} (its committed {@code Begin}). */
  record Registration(UserId user, byte[] salt, long beginIndex) {}

  /** A login waiting for KE3; {@code blob} is null for an unknown user (fake KE2). */
  /** A login started at this member; {@code attemptIndex} is its committed attempt's. */
  record Login(UserId user, long generation, long epoch, byte[] blob, ServerLogin server,
      long attemptIndex) {}

  /**
   * What a completed login allows: one delete or one password change of that record, bound to
   * the login by {@code bindingKey} ({@link LoginBinding#key}).
   */
  record Grant(UserId user, long generation, SecretBytes bindingKey) {}

  private final ExpiringSessions<Registration> registrations;
  private final ExpiringSessions<Login> logins;
  private final ExpiringSessions<Grant> grants;

  Sessions(long ttlMs, Clock clock, SecureRandom rng) {
    this.registrations = new ExpiringSessions<>(VaultService.SESSION_ID_LENGTH, ttlMs,
        MAX_PENDING, clock, rng);
    this.logins = new ExpiringSessions<>(VaultService.SESSION_ID_LENGTH, ttlMs, MAX_PENDING,
        clock, rng);
    this.grants = new ExpiringSessions<>(VaultService.LOGIN_TOKEN_LENGTH, ttlMs, MAX_PENDING,
        clock, rng);
  }

  byte[] put(Registration r) throws ServiceException {
    return put(registrations, r);
  }

  byte[] put(Login l) throws ServiceException {
    return put(logins, l);
  }

  byte[] put(Grant g) throws ServiceException {
    return put(grants, g);
  }

  /** The registration {@code id} names, which must belong to {@code caller}. */
  Registration registration(UserId caller, byte[] id) throws ServiceException {
    Registration r = registration(id);
    requireCaller(caller, r.user(), "registration session");
    return r;
  }

  /** The registration {@code id} names, whoever it belongs to (the caller checks). */
  Registration registration(byte[] id) throws ServiceException {
    return take(registrations, id, "registration session");
  }

  Login login(UserId caller, byte[] id) throws ServiceException {
    Login l = take(logins, id, "login session");
    requireCaller(caller, l.user(), "login session");
    return l;
  }

  Grant grant(UserId caller, byte[] token) throws ServiceException {
    Grant g = take(grants, token, "login token");
    requireCaller(caller, g.user(), "login token");
    return g;
  }

  /** Forgets everything expired; returns how many logins expired unfinished. */
  int purgeExpired() {
    int unfinished = logins.purgeExpired();
    registrations.purgeExpired();
    grants.purgeExpired();
    return unfinished;
  }

  /** A session or token may only be used by a request authorised for its own user. */
  private static void requireCaller(UserId caller, UserId owner, String what)
      throws ServiceException {
    if (!caller.equals(owner)) {
      throw new ServiceException(Reason.FORBIDDEN, "the " + what + " belongs to another user "
          + "than the request is authorised for");
    }
  }

  private static <V> byte[] put(ExpiringSessions<V> sessions, V value) throws ServiceException {
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
}
