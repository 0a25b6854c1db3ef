package dev.bkv.node.api;

import io.grpc.Status;

/**
 * The gRPC status a refusal sent through the fleet channel stands for: a member answers with it
 * outside the channel, a client reads the channel's refusal back with it.
 */
public final class ChannelErrors {
  private ChannelErrors() {}

  /**
   * The gRPC status code the same refusal has outside the channel (vault.proto), so that a
   * client reports both kinds alike; an unknown reason is {@code UNKNOWN}.
   */
  public static Status.Code statusCode(ChannelError.Reason r) {
    return switch (r) {
      case BAD_REQUEST -> Status.Code.INVALID_ARGUMENT;
      case NO_SESSION -> Status.Code.NOT_FOUND;
      case LOGIN_FAILED, UNAUTHORIZED -> Status.Code.UNAUTHENTICATED;
      case EXISTS -> Status.Code.ALREADY_EXISTS;
      case CHANGED -> Status.Code.ABORTED;
      case UNAVAILABLE -> Status.Code.UNAVAILABLE;
      case FORBIDDEN -> Status.Code.PERMISSION_DENIED;
      case RATE_LIMITED -> Status.Code.RESOURCE_EXHAUSTED;
      case FAULT -> Status.Code.INTERNAL;
      case NOT_CLOSED -> Status.Code.FAILED_PRECONDITION;
      case REASON_UNSPECIFIED, UNRECOGNIZED -> Status.Code.UNKNOWN;
    };
  }
}
