package dev.bkv.client;

/** The password did not open the record; {@link #attemptsLeft()} guesses remain. */
public final class WrongPasswordException extends VaultClientException {
  private static final long serialVersionUID = 1L;
  private final int attemptsLeft;

  public WrongPasswordException(int attemptsLeft) {
    super("wrong password (or unknown user); " + attemptsLeft + " attempt"
        + (attemptsLeft == 1 ? "" : "s") + " left", null);
    this.attemptsLeft = attemptsLeft;
  }

  public int attemptsLeft() {
    return attemptsLeft;
  }
}
