package dev.bkv.node.service;

import dev.bkv.node.NodeException;

/**
 * A request the vault service could not serve. The {@link Reason} says which kind of failure it
 * is; the network API maps each reason to one gRPC status. Messages name the bad value and never
 * carry secrets.
 */
public final class ServiceException extends NodeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, from the caller's point of view. */
  public enum Reason {
    /** Malformed input: wrong sizes, invalid points, a bad user id. Nothing changed. */
    BAD_REQUEST,
    /** The registration/login session or login token is unknown, used or expired. */
    NO_SESSION,
    /** The KE3 client MAC did not verify. */
    LOGIN_FAILED,
    /** Register over a live record. */
    EXISTS,
    /** The record changed (or was locked or deleted) since the login it depends on. */
    CHANGED,
    /** No majority of the fleet answered, or this member is overloaded. Safe to retry. */
    UNAVAILABLE,
    /** The member is configured not to answer this (an operator-only diagnostic). */
    FORBIDDEN,
    /** An HSM or store fault on this member. */
    FAULT,
    /**
     * No valid tenant token for the user id (missing, forged, expired, for another user or
     * audience). Nothing was committed and no HSM operation ran.
     */
    UNAUTHORIZED,
    /** The user's per-user rate limit is used up ({@code node.rate.*}). Retry later. */
    RATE_LIMITED
  }

  private final Reason reason;

  public ServiceException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public ServiceException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
