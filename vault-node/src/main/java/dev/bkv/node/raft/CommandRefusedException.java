package dev.bkv.node.raft;

import dev.bkv.node.NodeException;

/** Authentication failed: the leader refuses a command that no fleet member signed. */
public final class CommandRefusedException extends NodeException {
  private static final long serialVersionUID = 1L;

  public CommandRefusedException(String message) {
    super(message);
  }
}
