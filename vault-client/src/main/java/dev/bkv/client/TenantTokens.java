package dev.bkv.client;

/**
 * Where the client gets the tenant token for a user operation (docs/tenant-tokens.md): a short-
 * lived token for that user id, signed by the app's backend. The client asks once per
 * operation (register, recover, delete, change password), so an implementation can fetch a
 * fresh one from the backend each time.
 */
@FunctionalInterface
public interface TenantTokens {
  /** The compact token authorising operations on {@code userId}. */
  String tokenFor(byte[] userId) throws VaultClientException;

  /** Always the same token (tools and tests; real apps fetch one per operation). */
  static TenantTokens fixed(String token) {
    return user -> token;
  }
}
