package dev.bkv.opaque;

import dev.bkv.ec.Point;
import dev.bkv.opaque.internal.Bytes;
import dev.bkv.opaque.internal.FakeRecords;
import dev.bkv.opaque.internal.KeySchedule;
import dev.bkv.opaque.internal.Masking;
import dev.bkv.opaque.internal.OpaqueDerivations;
import dev.bkv.oprf.Oprf;
import dev.bkv.recovery.AuthenticationFailedException;
import dev.bkv.recovery.RecoveryException;
import dev.bkv.recovery.SecretBytes;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * Server side of an RFC 9807 login. {@link #start} answers KE1 with KE2 (for an unknown
 * credential, pass a {@code null} record and a fake response is produced); {@link #finish}
 * verifies the client MAC in KE3 and releases the session key. One instance per attempt.
 */
public final class ServerLogin {
  private final Ke2 ke2;
  private final byte[] expectedClientMac;
  private final byte[] sessionKey;
  private boolean finished;

  /** The server's fresh randomness for one login. */
  public record Nonces(byte[] maskingNonce, byte[] serverNonce, byte[] serverKeyshareSeed) {
    public Nonces {
      maskingNonce = Bytes.requireLength(maskingNonce, CipherSuite.NONCE_LENGTH, "masking_nonce");
      serverNonce = Bytes.requireLength(serverNonce, CipherSuite.NONCE_LENGTH, "server_nonce");
      serverKeyshareSeed = Bytes.requireLength(serverKeyshareSeed, CipherSuite.SEED_LENGTH,
          "server_keyshare_seed");
    }

    public static Nonces random(SecureRandom rng) {
      byte[][] b = {new byte[32], new byte[32], new byte[32]};
      for (byte[] x : b) {
        rng.nextBytes(x);
      }
      return new Nonces(b[0], b[1], b[2]);
    }
  }

  /** Result of a verified KE3. */
  public record Result(SecretBytes sessionKey) {}

  private ServerLogin(Ke2 ke2, byte[] expectedClientMac, byte[] sessionKey) {
    this.ke2 = ke2;
    this.expectedClientMac = expectedClientMac;
    this.sessionKey = sessionKey;
  }

  public static ServerLogin start(CipherSuite suite, ServerKeys keys, byte[] credentialIdentifier,
      RegistrationRecord record, Ke1 ke1, Identities ids, SecureRandom rng)
      throws RecoveryException {
    return start(suite, keys, credentialIdentifier, record, ke1, ids, Nonces.random(rng));
  }

  /**
   * GenerateKE2 with the given nonces. {@code record} is the stored registration record, or
   * {@code null} for an unknown credential (then the fake record derived from
   * {@link ServerKeys#fakeRecordSeed} is used).
   */
  public static ServerLogin start(CipherSuite suite, ServerKeys keys, byte[] credentialIdentifier,
      RegistrationRecord record, Ke1 ke1, Identities ids, Nonces nonces)
      throws RecoveryException {
    Objects.requireNonNull(ke1, "ke1");
    return start(suite, keys, credentialIdentifier, record, ke1, ids, nonces,
        keys.evaluate(credentialIdentifier, ke1.blindedElement()));
  }

  /**
   * GenerateKE2 with an OPRF evaluation the caller computed ({@code evaluated} = k_u·B for
   * KE1's blinded element B), for key holders that evaluate per-user keys themselves.
   */
  public static ServerLogin start(CipherSuite suite, ServerKeys keys, byte[] credentialIdentifier,
      RegistrationRecord record, Ke1 ke1, Identities ids, Nonces nonces, Point evaluated)
      throws RecoveryException {
    Objects.requireNonNull(ke1, "ke1");
    Objects.requireNonNull(evaluated, "evaluated");
    // The fake record is derived for every login, known user or not, so that the work done
    // (and the key-holder calls made) does not reveal whether the credential exists.
    RegistrationRecord fake = FakeRecords.fromSeed(keys.fakeRecordSeed(credentialIdentifier));
    RegistrationRecord rec = record != null ? record : fake;
    Point serverPublicKey = keys.serverPublicKey();
    byte[] masked = Masking.apply(rec.maskingKey(), nonces.maskingNonce(),
        Bytes.concat(serverPublicKey.toCompressed(), rec.envelope()));
    Oprf.KeyPair keyshare = OpaqueDerivations.dhKeyPair(nonces.serverKeyshareSeed());
    byte[] credentialResponse = Bytes.concat(evaluated.toCompressed(), nonces.maskingNonce(),
        masked);

    byte[] ikm = Bytes.concat(
        ke1.clientPublicKeyshare().multiply(keyshare.privateKey()).toCompressed(),
        keys.dh(ke1.clientPublicKeyshare()).toCompressed(),
        rec.clientPublicKey().multiply(keyshare.privateKey()).toCompressed());
    byte[] cid = ids.client() != null ? ids.client() : rec.clientPublicKey().toCompressed();
    byte[] sid = ids.server() != null ? ids.server() : serverPublicKey.toCompressed();
    byte[] preamble = KeySchedule.preamble(suite.context(), cid, ke1.toBytes(), sid,
        credentialResponse, nonces.serverNonce(), keyshare.publicKey().toCompressed());
    KeySchedule.Keys k = KeySchedule.deriveKeys(ikm, preamble);
    Arrays.fill(ikm, (byte) 0);
    byte[] serverMac = KeySchedule.serverMac(k);
    Ke2 ke2 = new Ke2(evaluated, nonces.maskingNonce(), masked, nonces.serverNonce(),
        keyshare.publicKey(), serverMac);
    return new ServerLogin(ke2, KeySchedule.clientMac(k, preamble, serverMac), k.sessionKey());
  }

  public Ke2 ke2() {
    return ke2;
  }

  /** ServerFinish: verifies the client MAC in constant time. */
  public Result finish(Ke3 ke3) throws AuthenticationFailedException {
    if (finished) {
      throw new IllegalStateException("login already finished");
    }
    finished = true;
    boolean ok = MessageDigest.isEqual(expectedClientMac, ke3.clientMac());
    SecretBytes key = SecretBytes.copyOf(sessionKey);
    Arrays.fill(sessionKey, (byte) 0);
    if (!ok) {
      throw new AuthenticationFailedException("client MAC in KE3 did not verify");
    }
    return new Result(key);
  }
}
