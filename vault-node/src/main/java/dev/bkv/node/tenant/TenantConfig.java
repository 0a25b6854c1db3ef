package dev.bkv.node.tenant;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * A member's tenant settings: whose tokens it accepts and how often a user may act.
 *
 * @param keys the JWK Set file of the app backend's public keys ({@code node.tenant.keys},
 *     required)
 * @param audience the {@code aud} tokens must name ({@code node.tenant.audience}, default the
 *     fleet id)
 * @param maxTtl the longest token lifetime {@code exp − iat} ({@code node.tenant.max-ttl-s},
 *     default 600 s)
 * @param userPerMinute sustained operations per user per minute ({@code
 *     node.rate.user-per-minute}, default 60)
 * @param userBurst operations a rested user may start at once ({@code node.rate.user-burst},
 *     default 20)
 */
public record TenantConfig(Path keys, String audience, Duration maxTtl, int userPerMinute,
    int userBurst) {
  /** Longest {@code node.tenant.max-ttl-s} allowed: a day. */
  public static final long MAX_TTL_LIMIT_S = 86_400;

  public TenantConfig {
    if (keys == null) {
      throw new IllegalArgumentException("config key node.tenant.keys is missing: set it to the "
          + "JWK Set file of the app backend's public keys (bkv tenant keygen writes "
          + "tenant-keys.json; see docs/tenant-tokens.md)");
    }
    if (audience == null || audience.isEmpty()) {
      throw new IllegalArgumentException("node.tenant.audience is empty; expected a name "
          + "(default: node.fleet-id)");
    }
    if (maxTtl == null || maxTtl.toSeconds() < 1 || maxTtl.toSeconds() > MAX_TTL_LIMIT_S) {
      throw new IllegalArgumentException("node.tenant.max-ttl-s is "
          + (maxTtl == null ? null : maxTtl.toSeconds()) + "; expected 1.." + MAX_TTL_LIMIT_S);
    }
    if (userPerMinute < 1 || userPerMinute > 60_000) {
      throw new IllegalArgumentException("node.rate.user-per-minute is " + userPerMinute
          + "; expected 1..60000");
    }
    if (userBurst < 1 || userBurst > 10_000) {
      throw new IllegalArgumentException("node.rate.user-burst is " + userBurst
          + "; expected 1..10000");
    }
  }

  /** Defaults for everything but the key file and the audience. */
  public static TenantConfig withDefaults(Path keys, String audience) {
    return new TenantConfig(keys, audience, TenantAuthority.DEFAULT_MAX_TTL,
        UserRateLimiter.DEFAULT_PER_MINUTE, UserRateLimiter.DEFAULT_BURST);
  }

  /** Loads the pinned keys and builds the verifier (a member does this once at start). */
  public TenantAuthority authority(Clock clock) throws TenantKeyException {
    return new TenantAuthority(TenantKeys.load(keys), audience, maxTtl, clock);
  }

  /** The per-user rate limiter these settings describe. */
  public UserRateLimiter rateLimiter(Clock clock) {
    return new UserRateLimiter(userPerMinute, userBurst, clock);
  }
}
