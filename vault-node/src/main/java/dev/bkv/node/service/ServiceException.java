package dev.bkv.node.service;

import dev.bkv.node.NodeException;
import dev.bkv.node.api.ChannelError.Reason;

/**
 * A request the vault service could not serve. The {@link Reason} says which kind of failure it
 * is: one of the refusals of the wire contract ({@code ChannelError.Reason} in vault.proto, which
 * describes each), sent as is through the fleet channel and as its gRPC status outside it.
 * Messages name the bad value and never carry secrets.
 */
public final class ServiceException extends NodeException {
  private static final long serialVersionUID = 1L;

  private final Reason reason;

  public ServiceException(Reason reason, String message) {
    this(reason, message, null);
  }

  public ServiceException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    if (reason == null || reason == Reason.REASON_UNSPECIFIED || reason == Reason.UNRECOGNIZED) {
      throw new IllegalArgumentException("a refusal names its reason; got " + reason);
    }
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
