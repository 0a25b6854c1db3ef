package dev.bkv.opaque.internal;

import dev.bkv.ec.Point;
import dev.bkv.hash.Hkdf;
import dev.bkv.oprf.Oprf;
import dev.bkv.recovery.AuthenticationFailedException;
import dev.bkv.recovery.InternalFaultException;
import java.security.MessageDigest;

/** The RFC 9807 envelope (§4.1): Store on registration, Recover on login. */
public final class Envelope {
  public static final int NONCE_LENGTH = 32;
  public static final int LENGTH = NONCE_LENGTH + Hkdf.HASH_LENGTH;

  private Envelope() {}

  /** Output of Store. */
  public record Stored(byte[] envelope, Point clientPublicKey, byte[] maskingKey,
      byte[] exportKey) {}

  /** Output of Recover. */
  public record Recovered(Oprf.KeyPair clientKeyPair, byte[] exportKey) {}

  public static Stored store(byte[] randomizedPassword, Point serverPublicKey,
      byte[] serverIdentity, byte[] clientIdentity, byte[] envelopeNonce)
      throws InternalFaultException {
    byte[] maskingKey = maskingKey(randomizedPassword);
    Keys k = keys(randomizedPassword, envelopeNonce);
    Point clientPublicKey = k.clientKeyPair.publicKey();
    byte[] cleartext = OpaqueDerivations.cleartextCredentials(serverPublicKey, clientPublicKey,
        serverIdentity, clientIdentity);
    byte[] tag = Hkdf.hmac(k.authKey, envelopeNonce, cleartext);
    return new Stored(Bytes.concat(envelopeNonce, tag), clientPublicKey, maskingKey, k.exportKey);
  }

  public static Recovered recover(byte[] randomizedPassword, Point serverPublicKey,
      byte[] envelope, byte[] serverIdentity, byte[] clientIdentity)
      throws AuthenticationFailedException, InternalFaultException {
    byte[] nonce = java.util.Arrays.copyOfRange(envelope, 0, NONCE_LENGTH);
    byte[] tag = java.util.Arrays.copyOfRange(envelope, NONCE_LENGTH, LENGTH);
    Keys k = keys(randomizedPassword, nonce);
    byte[] cleartext = OpaqueDerivations.cleartextCredentials(serverPublicKey,
        k.clientKeyPair.publicKey(), serverIdentity, clientIdentity);
    byte[] expected = Hkdf.hmac(k.authKey, nonce, cleartext);
    if (!MessageDigest.isEqual(expected, tag)) {
      throw new AuthenticationFailedException(
          "envelope MAC did not verify (wrong password or server)");
    }
    return new Recovered(k.clientKeyPair, k.exportKey);
  }

  public static byte[] maskingKey(byte[] randomizedPassword) {
    return Hkdf.expand(randomizedPassword, Bytes.ascii("MaskingKey"), Hkdf.HASH_LENGTH);
  }

  private record Keys(byte[] authKey, byte[] exportKey, Oprf.KeyPair clientKeyPair) {}

  private static Keys keys(byte[] randomizedPassword, byte[] nonce)
      throws InternalFaultException {
    byte[] authKey = Hkdf.expand(randomizedPassword,
        Bytes.concat(nonce, Bytes.ascii("AuthKey")), Hkdf.HASH_LENGTH);
    byte[] exportKey = Hkdf.expand(randomizedPassword,
        Bytes.concat(nonce, Bytes.ascii("ExportKey")), Hkdf.HASH_LENGTH);
    byte[] seed = Hkdf.expand(randomizedPassword,
        Bytes.concat(nonce, Bytes.ascii("PrivateKey")), 32);
    return new Keys(authKey, exportKey, OpaqueDerivations.dhKeyPair(seed));
  }
}
