package dev.bkv.opaque.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.bkv.opaque.Ke1;
import dev.bkv.opaque.Ke2;
import dev.bkv.opaque.Ke3;
import dev.bkv.opaque.RegistrationRecord;
import dev.bkv.opaque.RegistrationRequest;
import dev.bkv.opaque.RegistrationResponse;
import dev.bkv.recovery.BadInputException;
import dev.bkv.seal.SealedBackupKey;

/**
 * Fuzz targets for every OPAQUE message parser (and the sealed backup key format). Property:
 * {@code parse} either throws {@link BadInputException} or returns a message whose
 * {@code toBytes()} is exactly the input. Any other exception escapes and fails the target.
 * Seeds (the RFC 9807 P-256 messages and edge cases) are in
 * {@code src/test/resources/dev/bkv/opaque/fuzz/OpaqueMessageFuzzTestInputs/<target>/}.
 */
class OpaqueMessageFuzzTest {
  interface Parser<T> {
    T parse(byte[] b) throws BadInputException;
  }

  interface Encoder<T> {
    byte[] toBytes(T t);
  }

  static <T> void roundTrip(byte[] data, Parser<T> parser, Encoder<T> encoder) {
    T parsed;
    try {
      parsed = parser.parse(data);
    } catch (BadInputException expected) {
      return;
    }
    assertArrayEquals(data, encoder.toBytes(parsed), "parse -> toBytes is not the identity");
  }

  @FuzzTest
  void registrationRequest(byte[] data) {
    roundTrip(data, RegistrationRequest::parse, RegistrationRequest::toBytes);
  }

  @FuzzTest
  void registrationResponse(byte[] data) {
    roundTrip(data, RegistrationResponse::parse, RegistrationResponse::toBytes);
  }

  @FuzzTest
  void registrationRecord(byte[] data) {
    roundTrip(data, RegistrationRecord::parse, RegistrationRecord::toBytes);
  }

  @FuzzTest
  void ke1(byte[] data) {
    roundTrip(data, Ke1::parse, Ke1::toBytes);
  }

  @FuzzTest
  void ke2(byte[] data) {
    roundTrip(data, Ke2::parse, Ke2::toBytes);
  }

  @FuzzTest
  void ke3(byte[] data) {
    roundTrip(data, Ke3::parse, Ke3::toBytes);
  }

  @FuzzTest
  void sealedBackupKey(byte[] data) {
    roundTrip(data, SealedBackupKey::parse, SealedBackupKey::toBytes);
  }
}
