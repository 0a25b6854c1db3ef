package dev.bkv.node.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bkv.ec.P256;
import dev.bkv.ec.Scalar;
import dev.bkv.node.store.UserId;
import dev.bkv.opaque.RegistrationRecord;
import dev.bkv.recovery.BadInputException;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StoredRecordTest {
  private final SecureRandom rng = new SecureRandom();

  private StoredRecord sample() {
    byte[] salt = new byte[16];
    rng.nextBytes(salt);
    RegistrationRecord r = new RegistrationRecord(P256.multiplyGenerator(Scalar.random(rng)),
        new byte[32], new byte[64]);
    return new StoredRecord(salt, r);
  }

  @Test
  void roundTripsAndBindsTheSaltIntoTheCredentialIdentifier() throws Exception {
    StoredRecord s = sample();
    byte[] bytes = s.toBytes();
    assertEquals(StoredRecord.LENGTH, bytes.length);
    StoredRecord back = StoredRecord.parse(bytes);
    assertArrayEquals(s.salt(), back.salt());
    assertEquals(s.record(), back.record());
    UserId u = new UserId("alice".getBytes());
    byte[] cid = s.credentialIdentifier(u);
    assertEquals(5 + 16, cid.length);
    assertArrayEquals(s.salt(), Arrays.copyOfRange(cid, 5, 21));
  }

  @Test
  void refusesWrongLengthAndVersion() {
    byte[] bytes = sample().toBytes();
    assertEquals("stored record is 145 bytes; expected 146", assertThrows(
        BadInputException.class, () -> StoredRecord.parse(Arrays.copyOf(bytes, 145)))
        .getMessage());
    bytes[0] = 2;
    assertThrows(BadInputException.class, () -> StoredRecord.parse(bytes));
  }
}
