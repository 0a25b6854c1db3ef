package dev.bkv.opaque;

import dev.bkv.ec.P256;
import dev.bkv.ec.Point;
import dev.bkv.recovery.BadInputException;
import java.util.Objects;

/** RFC 9807 RegistrationRequest: the blinded password element (33 bytes). */
public record RegistrationRequest(Point blindedElement) {
  public static final int LENGTH = CipherSuite.POINT_LENGTH;

  public RegistrationRequest {
    Objects.requireNonNull(blindedElement, "blindedElement");
  }

  public byte[] toBytes() {
    return blindedElement.toCompressed();
  }

  public static RegistrationRequest parse(byte[] bytes) throws BadInputException {
    if (bytes == null || bytes.length != LENGTH) {
      throw new BadInputException("RegistrationRequest is "
          + (bytes == null ? "null" : bytes.length + " bytes") + "; expected " + LENGTH);
    }
    return new RegistrationRequest(P256.decodeCompressed(bytes, "RegistrationRequest element"));
  }
}
