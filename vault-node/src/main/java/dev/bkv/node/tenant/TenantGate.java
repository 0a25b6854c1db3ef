package dev.bkv.node.tenant;

import dev.bkv.node.api.CallGate;
import dev.bkv.node.service.ServiceException;
import dev.bkv.node.api.ChannelError.Reason;
import dev.bkv.node.store.UserId;

/**
 * The member's {@link CallGate}: a valid tenant token for the user id first, then one unit of
 * that user's rate limit. Only a caller the tenant authorised can spend a user's rate, so a
 * stranger cannot lock a user out of their own recoveries by flooding.
 */
public final class TenantGate implements CallGate {
  private final TenantAuthority authority;
  private final UserRateLimiter limiter;

  public TenantGate(TenantAuthority authority, UserRateLimiter limiter) {
    this.authority = authority;
    this.limiter = limiter;
  }

  @Override
  public void admit(String method, String tenantToken, UserId user) throws ServiceException {
    try {
      authority.authorize(tenantToken, user);
    } catch (TenantTokenException e) {
      throw new ServiceException(Reason.UNAUTHORIZED, method + " for " + user + " refused: "
          + e.getMessage(), e);
    }
    if (!limiter.tryAcquire(user)) {
      throw new ServiceException(Reason.RATE_LIMITED, method + " for " + user + " refused: "
          + "the user's rate limit (node.rate.*) is spent; retry later");
    }
  }
}
