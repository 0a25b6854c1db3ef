package dev.bkv.node.tenant;

import java.security.GeneralSecurityException;

/**
 * A tenant token that does not authorize the request. {@link #reason()} says which rule it broke;
 * the message is one line naming the offending value and what was expected, and never contains
 * the token itself.
 */
public final class TenantTokenException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  /** Which rule of docs/tenant-tokens.md the token broke. */
  public enum Reason {
    /** No token was given with the request. */
    MISSING,
    /** Longer than {@link TenantAuthority#MAX_TOKEN_CHARS} characters. */
    TOO_LONG,
    /**
     * Not a JWS compact serialization, bad base64url or JSON, a claim of the wrong type, a
     * critical header extension, or {@code exp} not after {@code iat}.
     */
    MALFORMED,
    /** {@code alg} is not ES256 ({@code none}, HS256, RS256, ES384, …). */
    BAD_ALGORITHM,
    /** The header {@code typ} is not {@value TenantAuthority#TYPE}. */
    BAD_TYPE,
    /** No {@code kid}, or a {@code kid} that is not pinned in {@code node.tenant.keys}. */
    UNKNOWN_KEY,
    /** The signature does not verify under the pinned key named by {@code kid}. */
    BAD_SIGNATURE,
    /** One of {@code sub}, {@code aud}, {@code iat}, {@code exp} is absent. */
    MISSING_CLAIM,
    /** {@code sub} names another user id. */
    WRONG_SUBJECT,
    /** {@code aud} does not name this fleet's audience. */
    WRONG_AUDIENCE,
    /** {@code exp} (plus the clock skew) has passed. */
    EXPIRED,
    /** {@code nbf} or {@code iat} lies in the future (beyond the clock skew). */
    NOT_YET_VALID,
    /** {@code exp − iat} exceeds {@code node.tenant.max-ttl-s}. */
    LIFETIME_TOO_LONG
  }

  private final Reason reason;

  public TenantTokenException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
