package dev.bkv.node.store;

import dev.bkv.node.NodeException;

/** Internal fault: the record store could not read or write its database. */
public final class StoreException extends NodeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreException(String message) {
    super(message);
  }
}
