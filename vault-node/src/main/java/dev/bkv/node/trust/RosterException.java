package dev.bkv.node.trust;

import dev.bkv.node.NodeException;

/** Bad input: a member roster or a member's Raft credential is missing, unreadable or wrong. */
public final class RosterException extends NodeException {
  private static final long serialVersionUID = 1L;

  public RosterException(String message) {
    super(message);
  }

  public RosterException(String message, Throwable cause) {
    super(message, cause);
  }
}
