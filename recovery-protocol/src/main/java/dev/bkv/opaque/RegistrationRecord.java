package dev.bkv.opaque;

import dev.bkv.ec.P256;
import dev.bkv.ec.Point;
import dev.bkv.opaque.internal.Bytes;
import dev.bkv.opaque.internal.Envelope;
import dev.bkv.recovery.BadInputException;
import java.util.Objects;

/**
 * RFC 9807 RegistrationRecord (the registration upload the server stores):
 * client_public_key (33) || masking_key (32) || envelope (64) = 129 bytes.
 * The masking key is sensitive server-side data: {@link #toString()} does not print it.
 */
public record RegistrationRecord(Point clientPublicKey, byte[] maskingKey, byte[] envelope) {
  public static final int LENGTH = CipherSuite.POINT_LENGTH + CipherSuite.KEY_LENGTH
      + Envelope.LENGTH;

  public RegistrationRecord {
    Objects.requireNonNull(clientPublicKey, "clientPublicKey");
    maskingKey = Bytes.requireLength(maskingKey, CipherSuite.KEY_LENGTH, "masking_key");
    envelope = Bytes.requireLength(envelope, Envelope.LENGTH, "envelope");
  }

  /** A fake record for an unknown credential: the given key, masking key and an all-zero envelope. */
  public static RegistrationRecord fake(Point clientPublicKey, byte[] maskingKey) {
    return new RegistrationRecord(clientPublicKey, maskingKey, new byte[Envelope.LENGTH]);
  }

  @Override
  public byte[] maskingKey() {
    return maskingKey.clone();
  }

  @Override
  public byte[] envelope() {
    return envelope.clone();
  }

  public byte[] toBytes() {
    return Bytes.concat(clientPublicKey.toCompressed(), maskingKey, envelope);
  }

  public static RegistrationRecord parse(byte[] bytes) throws BadInputException {
    if (bytes == null || bytes.length != LENGTH) {
      throw new BadInputException("RegistrationRecord is "
          + (bytes == null ? "null" : bytes.length + " bytes") + "; expected " + LENGTH);
    }
    Bytes.Reader r = new Bytes.Reader(bytes);
    Point pk = P256.decodeCompressed(r.take(33), "RegistrationRecord client public key");
    return new RegistrationRecord(pk, r.take(CipherSuite.KEY_LENGTH), r.take(Envelope.LENGTH));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RegistrationRecord r && java.util.Arrays.equals(toBytes(), r.toBytes());
  }

  @Override
  public int hashCode() {
    return clientPublicKey.hashCode();
  }

  @Override
  public String toString() {
    return "RegistrationRecord[clientPublicKey=" + clientPublicKey + ", maskingKey=redacted]";
  }
}
