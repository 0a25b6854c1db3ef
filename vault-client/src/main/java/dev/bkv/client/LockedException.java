package dev.bkv.client;

/** The user ran out of attempts: the record was destroyed on every member. */
public final class LockedException extends VaultClientException {
  private static final long serialVersionUID = 1L;

  public LockedException(String user) {
    super("user " + user + " is locked out: the attempt limit was reached and the record "
        + "destroyed", null);
  }
}
