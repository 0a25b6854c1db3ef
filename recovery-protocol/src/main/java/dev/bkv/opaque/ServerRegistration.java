package dev.bkv.opaque;

import dev.bkv.recovery.BadInputException;
import dev.bkv.recovery.RecoveryException;
import java.util.Objects;

/**
 * Server side of RFC 9807 registration for one credential identifier: {@link #start} evaluates
 * the blinded password with the credential's OPRF key; {@link #finish} validates the upload.
 */
public final class ServerRegistration {
  private final ServerKeys keys;
  private final byte[] credentialIdentifier;

  public ServerRegistration(ServerKeys keys, byte[] credentialIdentifier) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.credentialIdentifier = credentialIdentifier.clone();
  }

  /** CreateRegistrationResponse. */
  public RegistrationResponse start(RegistrationRequest request) throws RecoveryException {
    return new RegistrationResponse(
        keys.evaluate(credentialIdentifier, request.blindedElement()), keys.serverPublicKey());
  }

  /** Parses and validates the client's upload; the result is what the server stores. */
  public RegistrationRecord finish(byte[] upload) throws BadInputException {
    return RegistrationRecord.parse(upload);
  }
}
