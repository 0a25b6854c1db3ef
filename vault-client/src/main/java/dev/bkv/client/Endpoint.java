package dev.bkv.client;

/** A member's API address. */
public record Endpoint(String host, int port) {
  public Endpoint {
    if (host == null || host.isEmpty() || port < 1 || port > 65535) {
      throw new IllegalArgumentException("endpoint " + host + ":" + port
          + "; expected host:port with port 1..65535");
    }
  }

  /** Parses {@code host:port}. */
  public static Endpoint parse(String s) {
    int colon = s.trim().lastIndexOf(':');
    if (colon < 1) {
      throw new IllegalArgumentException("endpoint '" + s + "'; expected host:port");
    }
    try {
      return new Endpoint(s.trim().substring(0, colon),
          Integer.parseInt(s.trim().substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("endpoint '" + s + "' has a bad port", e);
    }
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
