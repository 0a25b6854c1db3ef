package dev.bkv.opaque;

import dev.bkv.ec.P256;
import dev.bkv.ec.Point;
import dev.bkv.opaque.internal.Bytes;
import dev.bkv.opaque.internal.Masking;
import dev.bkv.recovery.BadInputException;
import java.util.Objects;

/**
 * RFC 9807 KE2: credential_response (evaluated_element 33 || masking_nonce 32 ||
 * masked_response 97) || server_nonce (32) || server_public_keyshare (33) || server_mac (32)
 * = 259 bytes.
 */
public record Ke2(Point evaluatedElement, byte[] maskingNonce, byte[] maskedResponse,
    byte[] serverNonce, Point serverPublicKeyshare, byte[] serverMac) {
  public static final int LENGTH = CipherSuite.POINT_LENGTH + CipherSuite.NONCE_LENGTH
      + Masking.MASKED_LENGTH + CipherSuite.NONCE_LENGTH + CipherSuite.POINT_LENGTH
      + CipherSuite.MAC_LENGTH;

  public Ke2 {
    Objects.requireNonNull(evaluatedElement, "evaluatedElement");
    Objects.requireNonNull(serverPublicKeyshare, "serverPublicKeyshare");
    maskingNonce = Bytes.requireLength(maskingNonce, CipherSuite.NONCE_LENGTH, "masking_nonce");
    maskedResponse = Bytes.requireLength(maskedResponse, Masking.MASKED_LENGTH, "masked_response");
    serverNonce = Bytes.requireLength(serverNonce, CipherSuite.NONCE_LENGTH, "server_nonce");
    serverMac = Bytes.requireLength(serverMac, CipherSuite.MAC_LENGTH, "server_mac");
  }

  @Override
  public byte[] maskingNonce() {
    return maskingNonce.clone();
  }

  @Override
  public byte[] maskedResponse() {
    return maskedResponse.clone();
  }

  @Override
  public byte[] serverNonce() {
    return serverNonce.clone();
  }

  @Override
  public byte[] serverMac() {
    return serverMac.clone();
  }

  /** The CredentialResponse part, as bound into the preamble. */
  public byte[] credentialResponseBytes() {
    return Bytes.concat(evaluatedElement.toCompressed(), maskingNonce, maskedResponse);
  }

  public byte[] toBytes() {
    return Bytes.concat(credentialResponseBytes(), serverNonce,
        serverPublicKeyshare.toCompressed(), serverMac);
  }

  public static Ke2 parse(byte[] bytes) throws BadInputException {
    if (bytes == null || bytes.length != LENGTH) {
      throw new BadInputException("KE2 is " + (bytes == null ? "null" : bytes.length + " bytes")
          + "; expected " + LENGTH);
    }
    Bytes.Reader r = new Bytes.Reader(bytes);
    Point evaluated = P256.decodeCompressed(r.take(33), "KE2 evaluated element");
    byte[] maskingNonce = r.take(CipherSuite.NONCE_LENGTH);
    byte[] masked = r.take(Masking.MASKED_LENGTH);
    byte[] serverNonce = r.take(CipherSuite.NONCE_LENGTH);
    Point keyshare = P256.decodeCompressed(r.take(33), "KE2 server keyshare");
    return new Ke2(evaluated, maskingNonce, masked, serverNonce, keyshare,
        r.take(CipherSuite.MAC_LENGTH));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ke2 k && java.util.Arrays.equals(toBytes(), k.toBytes());
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(toBytes());
  }

  @Override
  public String toString() {
    return "Ke2[" + org.bouncycastle.util.encoders.Hex.toHexString(toBytes()) + "]";
  }
}
