package dev.bkv.client;

import dev.bkv.node.api.ChannelError;
import io.grpc.Status;

/**
 * Why the fleet refused a request ({@link RejectedException#reason()}). A refusal made by the
 * service comes back in the fleet channel with a typed {@code ChannelError.Reason}, one value
 * here each, described in vault.proto; a refusal made before the channel (tenant token, rate
 * limit, malformed outer request) is a plain gRPC status, read from its code. What to do:
 * {@link #NO_SESSION} and {@link #CHANGED} go away when the whole operation is run again;
 * {@link #RATE_LIMITED} after a while; the others do not.
 */
public enum Rejection {
  /** A malformed request: bad sizes, points or ids (gRPC {@code INVALID_ARGUMENT}). */
  BAD_REQUEST,
  /**
   * The login or registration session, or the login token, is unknown, used or expired: it lives
   * in one member's memory for a short time (gRPC {@code NOT_FOUND}). Run the operation again.
   */
  NO_SESSION,
  /** A KE3 whose client MAC did not verify, or a bad login binding. */
  LOGIN_FAILED,
  /** Register over a live record (gRPC {@code ALREADY_EXISTS}). */
  EXISTS,
  /**
   * The record changed between the login and the request (another login, a password change):
   * gRPC {@code ABORTED}. Run the operation again.
   */
  CHANGED,
  /** The member had no Raft majority (normally an {@link UnavailableException}). */
  UNAVAILABLE,
  /** Not allowed for this caller (gRPC {@code PERMISSION_DENIED}). */
  FORBIDDEN,
  /** An HSM or store fault on the member (gRPC {@code INTERNAL}). */
  FAULT,
  /** No valid tenant token for the user (gRPC {@code UNAUTHENTICATED}). */
  UNAUTHORIZED,
  /** The user's rate limit (gRPC {@code RESOURCE_EXHAUSTED}): try again later. */
  RATE_LIMITED,
  /**
   * Migration: the earlier fleet holds no record of the user closed for a migration, or the
   * receipts did not prove one.
   */
  NOT_CLOSED,
  /** This client's own OPAQUE computation failed: a fault in bkv, not the fleet's refusal. */
  CLIENT_FAULT,
  /** Any other or unknown status or reason. */
  UNKNOWN;

  /** The reason a refusal sent through the fleet channel names. */
  static Rejection of(ChannelError.Reason r) {
    return switch (r) {
      case BAD_REQUEST -> BAD_REQUEST;
      case NO_SESSION -> NO_SESSION;
      case LOGIN_FAILED -> LOGIN_FAILED;
      case EXISTS -> EXISTS;
      case CHANGED -> CHANGED;
      case UNAVAILABLE -> UNAVAILABLE;
      case FORBIDDEN -> FORBIDDEN;
      case FAULT -> FAULT;
      case UNAUTHORIZED -> UNAUTHORIZED;
      case RATE_LIMITED -> RATE_LIMITED;
      case NOT_CLOSED -> NOT_CLOSED;
      case REASON_UNSPECIFIED, UNRECOGNIZED -> UNKNOWN;
    };
  }

  /** The reason a plain gRPC status (a refusal before the channel) stands for. */
  static Rejection of(Status.Code c) {
    return switch (c) {
      case INVALID_ARGUMENT -> BAD_REQUEST;
      case NOT_FOUND -> NO_SESSION;
      case ALREADY_EXISTS -> EXISTS;
      case ABORTED -> CHANGED;
      case UNAVAILABLE -> UNAVAILABLE;
      case PERMISSION_DENIED -> FORBIDDEN;
      case INTERNAL -> FAULT;
      case UNAUTHENTICATED -> UNAUTHORIZED;
      case RESOURCE_EXHAUSTED -> RATE_LIMITED;
      // Outside the channel a member answers FAILED_PRECONDITION only when it cannot read the
      // request (VaultClient maps that to UntrustedFleetException before asking here).
      case FAILED_PRECONDITION -> NOT_CLOSED;
      default -> UNKNOWN;
    };
  }

  /** The reason for a gRPC status name, as {@link RejectedException#code()} gives it. */
  static Rejection ofCodeName(String code) {
    try {
      return of(Status.Code.valueOf(code));
    } catch (IllegalArgumentException | NullPointerException e) {
      return "CLIENT".equals(code) ? CLIENT_FAULT : UNKNOWN;
    }
  }
}
