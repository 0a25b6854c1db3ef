package dev.bkv.node.raft;

import dev.bkv.node.NodeException;

/**
 * The fleet could not be reached or did not commit: no majority answered in time, the member
 * could not start, or the state machine refused the request. A command that failed this way
 * may or may not have been applied.
 */
public final class ReplicationException extends NodeException {
  private static final long serialVersionUID = 1L;

  public ReplicationException(String message, Throwable cause) {
    super(message, cause);
  }

  public ReplicationException(String message) {
    super(message);
  }
}
