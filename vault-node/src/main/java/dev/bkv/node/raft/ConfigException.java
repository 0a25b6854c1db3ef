package dev.bkv.node.raft;

import dev.bkv.node.NodeException;

/** Bad input: a node configuration key is missing or has an invalid value. */
public final class ConfigException extends NodeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
