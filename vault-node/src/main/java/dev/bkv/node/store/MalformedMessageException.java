package dev.bkv.node.store;

import dev.bkv.node.NodeException;

/** Bad input: a command, result or stored value does not follow its binary format. */
public final class MalformedMessageException extends NodeException {
  private static final long serialVersionUID = 1L;

  public MalformedMessageException(String message) {
    super(message);
  }
}
