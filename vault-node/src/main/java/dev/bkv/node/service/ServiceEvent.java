package dev.bkv.node.service;

/**
 * Something the vault service did, for operators' counters. Carries no user id, password or
 * key: only what happened.
 */
public enum ServiceEvent {
  /** A new record was committed (a retried registration answered as done is not counted). */
  REGISTRATION,
  /** A record was replaced after a login. */
  PASSWORD_CHANGE,
  /** A record was erased after a login. */
  DELETION,
  /** A login attempt was committed through Raft (before any evaluation). */
  ATTEMPT_COMMITTED,
  /** The HSM evaluated the OPRF for a login (only ever after its attempt committed). */
  EVALUATION,
  /** The committed attempt used up the record's last guess: the record was destroyed. */
  LOCKOUT,
  /** A login of an already locked-out user was refused without evaluation. */
  REFUSED_LOCKED,
  /**
   * KE3 did not verify: a wrong password (or a user without a record) from a client that sent
   * KE3 anyway. bkv's own client notices a wrong password from KE2 and never sends KE3: that
   * login shows as {@link #LOGIN_UNFINISHED}.
   */
  WRONG_PASSWORD,
  /**
   * An evaluated login whose KE3 never came within {@code node.session-ttl-ms}: a wrong
   * password noticed by the client, or a client that gave up.
   */
  LOGIN_UNFINISHED,
  /** A login succeeded and the sealed backup key was sent back. */
  RECOVERY;

  /** Hears each event; called on the request's thread, must be fast and must not throw. */
  @FunctionalInterface
  public interface Listener {
    Listener NONE = e -> { };

    void on(ServiceEvent event);

    /** How long a stage of a login took on this member ({@link Stage}); ignored by default. */
    default void took(Stage stage, long nanos) {}

    /** {@code listener}, except that its failures are ignored: counters never fail a request. */
    static Listener guarded(Listener listener) {
      return new Listener() {
        @Override
        public void on(ServiceEvent e) {
          try {
            listener.on(e);
          } catch (RuntimeException ignored) {
            // operators' counters must not change what a client is told
          }
        }

        @Override
        public void took(Stage stage, long nanos) {
          try {
            listener.took(stage, nanos);
          } catch (RuntimeException ignored) {
            // as above
          }
        }
      };
    }
  }

  /** The stages of a login a member times, in order. */
  public enum Stage {
    /** Committing the attempt through Raft. */
    ATTEMPT_COMMIT,
    /** The peers' partials and this member's own share evaluations. */
    EVALUATION,
    /** Building KE2 (one HSM Diffie-Hellman and software work). */
    KE2,
    /** Verifying KE3 and the linearizable read that the record is unchanged. */
    FINISH_CHECK,
    /** Opening the record in the HSM and sealing it under the session key. */
    OPEN;

    /** The tag value in metrics. */
    public String tag() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }
}
