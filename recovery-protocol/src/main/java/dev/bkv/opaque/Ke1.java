package dev.bkv.opaque;

import dev.bkv.ec.P256;
import dev.bkv.ec.Point;
import dev.bkv.opaque.internal.Bytes;
import dev.bkv.recovery.BadInputException;
import java.util.Objects;

/**
 * RFC 9807 KE1: blinded_element (33) || client_nonce (32) || client_public_keyshare (33) = 98 bytes.
 */
public record Ke1(Point blindedElement, byte[] clientNonce, Point clientPublicKeyshare) {
  public static final int LENGTH = 2 * CipherSuite.POINT_LENGTH + CipherSuite.NONCE_LENGTH;

  public Ke1 {
    Objects.requireNonNull(blindedElement, "blindedElement");
    Objects.requireNonNull(clientPublicKeyshare, "clientPublicKeyshare");
    clientNonce = Bytes.requireLength(clientNonce, CipherSuite.NONCE_LENGTH, "client_nonce");
  }

  @Override
  public byte[] clientNonce() {
    return clientNonce.clone();
  }

  public byte[] toBytes() {
    return Bytes.concat(blindedElement.toCompressed(), clientNonce,
        clientPublicKeyshare.toCompressed());
  }

  public static Ke1 parse(byte[] bytes) throws BadInputException {
    if (bytes == null || bytes.length != LENGTH) {
      throw new BadInputException("KE1 is " + (bytes == null ? "null" : bytes.length + " bytes")
          + "; expected " + LENGTH);
    }
    Bytes.Reader r = new Bytes.Reader(bytes);
    Point blinded = P256.decodeCompressed(r.take(33), "KE1 blinded element");
    byte[] nonce = r.take(CipherSuite.NONCE_LENGTH);
    Point keyshare = P256.decodeCompressed(r.take(33), "KE1 client keyshare");
    return new Ke1(blinded, nonce, keyshare);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ke1 k && java.util.Arrays.equals(toBytes(), k.toBytes());
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(toBytes());
  }

  @Override
  public String toString() {
    return "Ke1[" + org.bouncycastle.util.encoders.Hex.toHexString(toBytes()) + "]";
  }
}
