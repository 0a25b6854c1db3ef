package dev.bkv.node;

/** Root of every checked error raised by the vault node. */
public class NodeException extends Exception {
  private static final long serialVersionUID = 1L;

  public NodeException(String message) {
    super(message);
  }

  public NodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
