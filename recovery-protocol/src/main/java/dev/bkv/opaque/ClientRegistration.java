package dev.bkv.opaque;

import dev.bkv.ec.Point;
import dev.bkv.ec.Scalar;
import dev.bkv.opaque.internal.ClientOprf;
import dev.bkv.opaque.internal.Envelope;
import dev.bkv.oprf.Oprf;
import dev.bkv.recovery.AuthenticationFailedException;
import dev.bkv.recovery.RecoveryException;
import dev.bkv.recovery.SecretBytes;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * Client side of RFC 9807 registration: {@link #start} blinds the password into a
 * {@link RegistrationRequest}; {@link #finish} turns the server's response into the
 * {@link RegistrationRecord} to upload and the {@code export_key}. One instance per attempt.
 */
public final class ClientRegistration {
  private final CipherSuite suite;
  private final byte[] password;
  private final Oprf.Blinded blinded;
  private boolean finished;

  /** Result of {@link #finish}: the record to upload and the client-only export key. */
  public record Result(RegistrationRecord record, SecretBytes exportKey) {}

  private ClientRegistration(CipherSuite suite, byte[] password, Oprf.Blinded blinded) {
    this.suite = suite;
    this.password = password;
    this.blinded = blinded;
  }

  public static ClientRegistration start(CipherSuite suite, byte[] password, SecureRandom rng)
      throws RecoveryException {
    return start(suite, password, Scalar.random(rng));
  }

  /** Deterministic variant: the caller supplies the blind (test vectors). */
  public static ClientRegistration start(CipherSuite suite, byte[] password, Scalar blind)
      throws RecoveryException {
    Objects.requireNonNull(suite, "suite");
    byte[] pw = password.clone();
    return new ClientRegistration(suite, pw, Oprf.blind(pw, blind));
  }

  public RegistrationRequest request() {
    return new RegistrationRequest(blinded.blindedElement());
  }

  /**
   * Finishes only if the response carries {@code pinnedServerKey}: a client that knows the fleet
   * key must not register against any other server key.
   */
  public Result finish(RegistrationResponse response, Identities ids, Point pinnedServerKey,
      SecureRandom rng) throws RecoveryException {
    if (!response.serverPublicKey().equals(pinnedServerKey)) {
      throw new AuthenticationFailedException("registration response carries server key "
          + response.serverPublicKey() + "; expected the pinned key " + pinnedServerKey);
    }
    return finish(response, ids, rng);
  }

  public Result finish(RegistrationResponse response, Identities ids, SecureRandom rng)
      throws RecoveryException {
    byte[] nonce = new byte[Envelope.NONCE_LENGTH];
    rng.nextBytes(nonce);
    return finish(response, ids, nonce);
  }

  /** Deterministic variant: the caller supplies the envelope nonce (test vectors). */
  public Result finish(RegistrationResponse response, Identities ids, byte[] envelopeNonce)
      throws RecoveryException {
    if (finished) {
      throw new IllegalStateException("registration already finished");
    }
    finished = true;
    if (envelopeNonce.length != Envelope.NONCE_LENGTH) {
      throw new IllegalArgumentException("envelope nonce is " + envelopeNonce.length
          + " bytes; expected " + Envelope.NONCE_LENGTH);
    }
    byte[] rwd = ClientOprf.randomizedPassword(suite.ksf(), password, blinded.blind(),
        response.evaluatedElement());
    Arrays.fill(password, (byte) 0);
    Envelope.Stored s = Envelope.store(rwd, response.serverPublicKey(), ids.server(),
        ids.client(), envelopeNonce);
    Arrays.fill(rwd, (byte) 0);
    return new Result(new RegistrationRecord(s.clientPublicKey(), s.maskingKey(), s.envelope()),
        SecretBytes.copyOf(s.exportKey()));
  }
}
