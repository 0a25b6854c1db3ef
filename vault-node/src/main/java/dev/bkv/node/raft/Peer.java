package dev.bkv.node.raft;

import java.util.regex.Pattern;

/** A fleet member as the replication layer sees it: an id and its Raft address. */
public record Peer(String id, String host, int port) {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  public Peer {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("member id is '" + id
          + "'; expected 1..64 of [A-Za-z0-9_-]");
    }
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("member " + id + " has no host");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("member " + id + " port is " + port
          + "; expected 1..65535");
    }
  }

  public String address() {
    return host + ":" + port;
  }
}
