package dev.bkv.node.api;

import dev.bkv.node.service.ServiceException.Reason;
import io.grpc.Status;

/** The wire form of a refusal sent through the fleet channel, and its gRPC status equivalent. */
public final class ChannelErrors {
  private ChannelErrors() {}

  static ChannelError.Reason toWire(Reason r) {
    return switch (r) {
      case BAD_REQUEST -> ChannelError.Reason.BAD_REQUEST;
      case NO_SESSION -> ChannelError.Reason.NO_SESSION;
      case LOGIN_FAILED -> ChannelError.Reason.LOGIN_FAILED;
      case EXISTS -> ChannelError.Reason.EXISTS;
      case CHANGED -> ChannelError.Reason.CHANGED;
      case UNAVAILABLE -> ChannelError.Reason.UNAVAILABLE;
      case FORBIDDEN -> ChannelError.Reason.FORBIDDEN;
      case FAULT -> ChannelError.Reason.FAULT;
      case UNAUTHORIZED -> ChannelError.Reason.UNAUTHORIZED;
      case RATE_LIMITED -> ChannelError.Reason.RATE_LIMITED;
    };
  }

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
      case REASON_UNSPECIFIED, UNRECOGNIZED -> Status.Code.UNKNOWN;
    };
  }
}
