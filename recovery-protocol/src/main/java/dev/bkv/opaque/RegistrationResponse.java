package dev.bkv.opaque;

import dev.bkv.ec.P256;
import dev.bkv.ec.Point;
import dev.bkv.opaque.internal.Bytes;
import dev.bkv.recovery.BadInputException;
import java.util.Objects;

/** RFC 9807 RegistrationResponse: evaluated_message || server_public_key (66 bytes). */
public record RegistrationResponse(Point evaluatedElement, Point serverPublicKey) {
  public static final int LENGTH = 2 * CipherSuite.POINT_LENGTH;

  public RegistrationResponse {
    Objects.requireNonNull(evaluatedElement, "evaluatedElement");
    Objects.requireNonNull(serverPublicKey, "serverPublicKey");
  }

  public byte[] toBytes() {
    return Bytes.concat(evaluatedElement.toCompressed(), serverPublicKey.toCompressed());
  }

  public static RegistrationResponse parse(byte[] bytes) throws BadInputException {
    if (bytes == null || bytes.length != LENGTH) {
      throw new BadInputException("RegistrationResponse is "
          + (bytes == null ? "null" : bytes.length + " bytes") + "; expected " + LENGTH);
    }
    Bytes.Reader r = new Bytes.Reader(bytes);
    return new RegistrationResponse(
        P256.decodeCompressed(r.take(33), "RegistrationResponse evaluated element"),
        P256.decodeCompressed(r.take(33), "RegistrationResponse server public key"));
  }
}
