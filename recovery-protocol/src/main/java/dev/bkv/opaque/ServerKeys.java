package dev.bkv.opaque;

import dev.bkv.ec.Point;
import dev.bkv.recovery.RecoveryException;
import dev.bkv.recovery.SecretBytes;

/**
 * Everything the OPAQUE server does with its long-term secrets (the HSM seam).
 *
 * <p>Security contract, for every implementation:
 * <ul>
 *   <li>No method reveals the server's AKE private key, {@code oprf_seed}, a fleet OPRF key or
 *       a per-credential OPRF key, directly or through its outputs beyond what RFC 9807
 *       itself reveals (the evaluated element, the 3DH term, fake-record material).</li>
 *   <li>Inputs are {@link Point}s, which are validated on construction (on P-256, not the
 *       identity); no unvalidated bytes reach the key holder.</li>
 *   <li>{@link #evaluate} is the password-guessing oracle. Callers must count and durably
 *       commit the attempt <em>before</em> calling it (DESIGN §6).</li>
 *   <li>Results are deterministic: the same inputs give the same outputs, so that RFC 9807
 *       test vectors and repeated fake responses are reproducible.</li>
 *   <li>Implementations are thread-safe. Failures of the key holder are
 *       {@link dev.bkv.recovery.InternalFaultException}s, never silently wrong answers.</li>
 * </ul>
 */
public interface ServerKeys {
  /** The server's long-term AKE public key (the key clients pin). */
  Point serverPublicKey();

  /**
   * BlindEvaluate with the credential's OPRF key: {@code k_u · blindedElement}, where k_u is
   * derived from {@code oprf_seed} and the credential identifier as RFC 9807 §4.3.2 specifies
   * (an HSM implementation multiplies that by its fleet OPRF key, DESIGN §3).
   */
  Point evaluate(byte[] credentialIdentifier, Point blindedElement) throws RecoveryException;

  /** The 3DH term with the long-term key: {@code server_private_key · clientPublicKeyshare}. */
  Point dh(Point clientPublicKeyshare) throws RecoveryException;

  /**
   * {@code x(server_private_key · peer)}, the static DH of the fleet channel ({@code
   * dev.bkv.channel}). The default recovers the full point; a key holder with x-only ECDH
   * answers with one operation.
   */
  default byte[] staticX(Point peer) throws RecoveryException {
    return dh(peer).x();
  }

  /**
   * A 32-byte secret seed, deterministic per credential identifier, from which the fake record
   * for an unknown credential is derived, so repeated queries for the same unknown user get
   * consistent answers. Must be independent of the OPRF key derivation.
   */
  SecretBytes fakeRecordSeed(byte[] credentialIdentifier) throws RecoveryException;
}
