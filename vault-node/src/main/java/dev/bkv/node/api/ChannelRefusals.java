package dev.bkv.node.api;

import dev.bkv.node.service.ServiceException.Reason;

/**
 * The wire form of a member's refusal sent through the fleet channel; a client reads it back with
 * {@link ChannelErrors#statusCode}.
 */
final class ChannelRefusals {
  private ChannelRefusals() {}

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
}
