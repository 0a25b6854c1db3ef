package dev.bkv.recovery;

/**
 * A MAC or AEAD tag did not verify: wrong password, tampered message, or an impostor server.
 * The message never says which secret was wrong.
 */
public final class AuthenticationFailedException extends RecoveryException {
  private static final long serialVersionUID = 1L;

  public AuthenticationFailedException(String message) {
    super(message);
  }
}
