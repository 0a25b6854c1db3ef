package dev.bkv.opaque;

/**
 * Optional client and server identities (RFC 9807 §4.1.2). A {@code null} identity defaults to
 * the corresponding public key. Both sides must use the same identities for a login to succeed.
 */
public record Identities(byte[] client, byte[] server) {
  /** No explicit identities: both default to the public keys. */
  public static final Identities NONE = new Identities(null, null);

  public Identities {
    client = client == null ? null : client.clone();
    server = server == null ? null : server.clone();
  }

  @Override
  public byte[] client() {
    return client == null ? null : client.clone();
  }

  @Override
  public byte[] server() {
    return server == null ? null : server.clone();
  }
}
