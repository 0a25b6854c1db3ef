package dev.bkv.opaque.internal;

import dev.bkv.hash.Hkdf;
import dev.bkv.crypto.Sha256;
/** RFC 9807 §6.4.2: preamble and the 3DH key schedule. */
public final class KeySchedule {
  private static final byte[] LABEL_PREFIX = Bytes.ascii("OPAQUE-");
  private static final byte[] PREAMBLE_LABEL = Bytes.ascii("OPAQUEv1-");

  private KeySchedule() {}

  /** Derived keys; {@code transcriptHash} is Hash(preamble). */
  public record Keys(byte[] serverMacKey, byte[] clientMacKey, byte[] sessionKey,
      byte[] handshakeSecret, byte[] transcriptHash) {}

  /** Preamble with client/server identities already defaulted to the public keys. */
  public static byte[] preamble(byte[] context, byte[] clientIdentity, byte[] ke1,
      byte[] serverIdentity, byte[] credentialResponse, byte[] serverNonce,
      byte[] serverPublicKeyshare) {
    return Bytes.concat(PREAMBLE_LABEL, Bytes.lengthPrefixed2(context),
        Bytes.lengthPrefixed2(clientIdentity), ke1, Bytes.lengthPrefixed2(serverIdentity),
        credentialResponse, serverNonce, serverPublicKeyshare);
  }

  public static Keys deriveKeys(byte[] ikm, byte[] preamble) {
    byte[] prk = Hkdf.extract(new byte[0], ikm);
    byte[] transcript = Sha256.hash(preamble);
    byte[] handshakeSecret = deriveSecret(prk, "HandshakeSecret", transcript);
    byte[] sessionKey = deriveSecret(prk, "SessionKey", transcript);
    byte[] km2 = deriveSecret(handshakeSecret, "ServerMAC", new byte[0]);
    byte[] km3 = deriveSecret(handshakeSecret, "ClientMAC", new byte[0]);
    return new Keys(km2, km3, sessionKey, handshakeSecret, transcript);
  }

  /** server_mac = MAC(Km2, Hash(preamble)). */
  public static byte[] serverMac(Keys k) {
    return Hkdf.hmac(k.serverMacKey(), k.transcriptHash());
  }

  /** client_mac = MAC(Km3, Hash(preamble || server_mac)). */
  public static byte[] clientMac(Keys k, byte[] preamble, byte[] serverMac) {
    return Hkdf.hmac(k.clientMacKey(), Sha256.hash(preamble, serverMac));
  }

  /** Expand-Label(secret, label, context, Nx) with the "OPAQUE-" prefix. */
  static byte[] deriveSecret(byte[] secret, String label, byte[] context) {
    byte[] full = Bytes.concat(LABEL_PREFIX, Bytes.ascii(label));
    byte[] info = Bytes.concat(new byte[] {0, (byte) Hkdf.HASH_LENGTH, (byte) full.length}, full,
        new byte[] {(byte) context.length}, context);
    return Hkdf.expand(secret, info, Hkdf.HASH_LENGTH);
  }
}
