package dev.bkv.node.api;

import dev.bkv.node.service.ServiceException;
import dev.bkv.node.store.UserId;

/**
 * What a fleet-channel request must pass before the member does any HSM operation for it: a
 * valid tenant token for its user id, and the user's rate limit. Refusals are {@link
 * ServiceException}s with reason {@code UNAUTHORIZED} or {@code RATE_LIMITED}.
 */
@FunctionalInterface
public interface CallGate {
  /** Throws unless {@code tenantToken} authorises a {@code method} call for {@code user} now. */
  void admit(String method, String tenantToken, UserId user) throws ServiceException;
}
