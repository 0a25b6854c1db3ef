package dev.bkv.client;

/**
 * Root of the client library's checked errors. Callers that map outcomes to users catch the
 * subtypes: {@link WrongPasswordException}, {@link LockedException}, {@link
 * UnavailableException}, {@link UntrustedFleetException}, {@link RejectedException}.
 */
public abstract sealed class VaultClientException extends Exception
    permits WrongPasswordException, LockedException, UnavailableException,
    UntrustedFleetException, RejectedException {
  private static final long serialVersionUID = 1L;

  VaultClientException(String message, Throwable cause) {
    super(message, cause);
  }
}
