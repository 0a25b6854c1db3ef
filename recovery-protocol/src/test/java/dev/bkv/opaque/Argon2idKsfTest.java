package dev.bkv.opaque;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

/**
 * Known answers computed independently with pyca/cryptography 48.0.0's {@code Argon2id}
 * (salt = 16 zero bytes, length 32, input = bytes 0x00..0x1f), i.e. opaque-ke's construction.
 */
class Argon2idKsfTest {
  private static final byte[] INPUT = new byte[32];

  static {
    for (int i = 0; i < 32; i++) {
      INPUT[i] = (byte) i;
    }
  }

  @Test
  void opaqueKeDefaultParameters() {
    Argon2idKsf d = Argon2idKsf.opaqueKeDefault();
    assertEquals(19456, d.memoryKiB());
    assertEquals(2, d.iterations());
    assertEquals(1, d.parallelism());
    assertArrayEquals(
        Hex.decode("2a3fa55f064b0644486bd0448573a9abc84515d16b8df8fb35db803b4525cf46"),
        d.stretch(INPUT));
  }

  @Test
  void smallParameters() {
    assertArrayEquals(
        Hex.decode("552784467ec9ea68c5c645cce0509368fcafaa5e17e2eb5e0527104aa89335f1"),
        new Argon2idKsf(256, 1, 1).stretch(INPUT));
  }

  @Test
  void explicitParametersAreUsed() {
    assertEquals(Argon2idKsf.opaqueKeDefault(), Argon2idKsf.of(19456, 2, 1));
    byte[] base = Argon2idKsf.of(256, 1, 1).stretch(INPUT);
    assertFalse(Arrays.equals(base, Argon2idKsf.of(512, 1, 1).stretch(INPUT)));
    assertFalse(Arrays.equals(base, Argon2idKsf.of(256, 2, 1).stretch(INPUT)));
    assertFalse(Arrays.equals(base, Argon2idKsf.of(256, 1, 2).stretch(INPUT)));
  }

  @Test
  void standardSuiteUsesOpaqueKeDefault() {
    assertEquals(Argon2idKsf.opaqueKeDefault(), CipherSuite.standard().ksf());
    assertEquals(0, CipherSuite.standard().context().length);
  }

  @Test
  void rejectsInvalidParameters() {
    assertThrows(IllegalArgumentException.class, () -> new Argon2idKsf(7, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new Argon2idKsf(256, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new Argon2idKsf(256, 1, 0));
  }
}
