package dev.bkv.opaque;

import dev.bkv.ec.P256;
import dev.bkv.ec.Point;
import dev.bkv.ec.Scalar;
import dev.bkv.opaque.internal.Bytes;
import dev.bkv.opaque.internal.ClientOprf;
import dev.bkv.opaque.internal.Envelope;
import dev.bkv.opaque.internal.KeySchedule;
import dev.bkv.opaque.internal.Masking;
import dev.bkv.opaque.internal.OpaqueDerivations;
import dev.bkv.oprf.Oprf;
import dev.bkv.recovery.AuthenticationFailedException;
import dev.bkv.recovery.BadInputException;
import dev.bkv.recovery.RecoveryException;
import dev.bkv.recovery.SecretBytes;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * Client side of an RFC 9807 login: {@link #start} produces KE1; {@link #finish} checks KE2
 * (envelope MAC, then server MAC) and produces KE3, the session key and the export key.
 * A wrong password is detected here, at KE2, as an {@link AuthenticationFailedException}.
 */
public final class ClientLogin {
  private final CipherSuite suite;
  private final byte[] password;
  private final Oprf.Blinded blinded;
  private final Oprf.KeyPair keyshare;
  private final Ke1 ke1;
  private boolean finished;

  /**
   * Result of a successful login. Compare {@code serverPublicKey} with the pinned fleet key.
   */
  public record Result(Ke3 ke3, SecretBytes sessionKey, SecretBytes exportKey,
      Point serverPublicKey) {}

  private ClientLogin(CipherSuite suite, byte[] password, Oprf.Blinded blinded,
      Oprf.KeyPair keyshare, byte[] clientNonce) {
    this.suite = suite;
    this.password = password;
    this.blinded = blinded;
    this.keyshare = keyshare;
    this.ke1 = new Ke1(blinded.blindedElement(), clientNonce, keyshare.publicKey());
  }

  public static ClientLogin start(CipherSuite suite, byte[] password, SecureRandom rng)
      throws RecoveryException {
    byte[] nonce = new byte[CipherSuite.NONCE_LENGTH];
    byte[] seed = new byte[CipherSuite.SEED_LENGTH];
    rng.nextBytes(nonce);
    rng.nextBytes(seed);
    return start(suite, password, Scalar.random(rng), nonce, seed);
  }

  /** Deterministic variant: blind, client nonce and keyshare seed supplied (test vectors). */
  public static ClientLogin start(CipherSuite suite, byte[] password, Scalar blind,
      byte[] clientNonce, byte[] clientKeyshareSeed) throws RecoveryException {
    Objects.requireNonNull(suite, "suite");
    Bytes.requireLength(clientKeyshareSeed, CipherSuite.SEED_LENGTH, "client_keyshare_seed");
    byte[] pw = password.clone();
    return new ClientLogin(suite, pw, Oprf.blind(pw, blind),
        OpaqueDerivations.dhKeyPair(clientKeyshareSeed), clientNonce);
  }

  public Ke1 ke1() {
    return ke1;
  }

  /**
   * Like {@link #finish(Ke2, Identities)}, and also requires the server key recovered from the
   * envelope to be {@code pinnedServerKey} (the fleet key the app pins).
   */
  public Result finish(Ke2 ke2, Identities ids, Point pinnedServerKey) throws RecoveryException {
    Result r = finish(ke2, ids);
    if (!r.serverPublicKey().equals(pinnedServerKey)) {
      throw new AuthenticationFailedException("server public key " + r.serverPublicKey()
          + " is not the pinned key " + pinnedServerKey);
    }
    return r;
  }

  /** Recovers the credentials from KE2, authenticates the server and returns KE3. */
  public Result finish(Ke2 ke2, Identities ids) throws RecoveryException {
    if (finished) {
      throw new IllegalStateException("login already finished");
    }
    finished = true;
    try {
      byte[] rwd = ClientOprf.randomizedPassword(suite.ksf(), password, blinded.blind(),
          ke2.evaluatedElement());
      byte[] unmasked = Masking.apply(Envelope.maskingKey(rwd), ke2.maskingNonce(),
          ke2.maskedResponse());
      Point serverPublicKey;
      try {
        serverPublicKey = P256.decodeCompressed(Arrays.copyOfRange(unmasked, 0, 33),
            "unmasked server public key");
      } catch (BadInputException e) {
        // With a wrong password the unmasked bytes are noise; report it as such.
        throw new AuthenticationFailedException(
            "credential response could not be unmasked (wrong password or server)");
      }
      byte[] envelope = Arrays.copyOfRange(unmasked, 33, unmasked.length);
      Envelope.Recovered rec = Envelope.recover(rwd, serverPublicKey, envelope, ids.server(),
          ids.client());
      Arrays.fill(rwd, (byte) 0);

      Scalar clientPrivate = rec.clientKeyPair().privateKey();
      Point clientPublic = rec.clientKeyPair().publicKey();
      byte[] ikm = Bytes.concat(
          ke2.serverPublicKeyshare().multiply(keyshare.privateKey()).toCompressed(),
          serverPublicKey.multiply(keyshare.privateKey()).toCompressed(),
          ke2.serverPublicKeyshare().multiply(clientPrivate).toCompressed());
      byte[] cid = ids.client() != null ? ids.client() : clientPublic.toCompressed();
      byte[] sid = ids.server() != null ? ids.server() : serverPublicKey.toCompressed();
      byte[] preamble = KeySchedule.preamble(suite.context(), cid, ke1.toBytes(), sid,
          ke2.credentialResponseBytes(), ke2.serverNonce(),
          ke2.serverPublicKeyshare().toCompressed());
      KeySchedule.Keys keys = KeySchedule.deriveKeys(ikm, preamble);
      Arrays.fill(ikm, (byte) 0);
      if (!MessageDigest.isEqual(KeySchedule.serverMac(keys), ke2.serverMac())) {
        throw new AuthenticationFailedException("server MAC in KE2 did not verify");
      }
      byte[] clientMac = KeySchedule.clientMac(keys, preamble, ke2.serverMac());
      return new Result(new Ke3(clientMac), SecretBytes.copyOf(keys.sessionKey()),
          SecretBytes.copyOf(rec.exportKey()), serverPublicKey);
    } finally {
      Arrays.fill(password, (byte) 0);
    }
  }
}
