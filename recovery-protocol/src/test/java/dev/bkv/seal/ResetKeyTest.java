package dev.bkv.seal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.recovery.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ResetKeyTest {
  private static final byte[] ALICE = "alice".getBytes(StandardCharsets.UTF_8);

  private static SecretBytes exportKey(int b) {
    byte[] k = new byte[64];
    Arrays.fill(k, (byte) b);
    return SecretBytes.copyOf(k);
  }

  @Test
  void theSameExportKeyGivesTheSameKeyAndAnotherAnother() {
    ResetKey a = ResetKey.fromExportKey(exportKey(1));
    assertArrayEquals(a.publicKey(), ResetKey.fromExportKey(exportKey(1)).publicKey());
    assertFalse(Arrays.equals(a.publicKey(), ResetKey.fromExportKey(exportKey(2)).publicKey()));
    assertEquals(ResetKey.PUBLIC_KEY_LENGTH, a.publicKey().length);
    assertEquals(4, a.publicKey()[0]);
  }

  @Test
  void aSignatureVerifiesForExactlyItsUserAndAttempt() {
    ResetKey k = ResetKey.fromExportKey(exportKey(3));
    byte[] sig = k.sign(ALICE, 42);
    assertArrayEquals(sig, k.sign(ALICE, 42), "deterministic");
    assertTrue(ResetKey.verify(k.publicKey(), ALICE, 42, sig));
    assertFalse(ResetKey.verify(k.publicKey(), ALICE, 43, sig), "another attempt");
    assertFalse(ResetKey.verify(k.publicKey(), "bob".getBytes(StandardCharsets.UTF_8), 42,
        sig), "another user");
    assertFalse(ResetKey.verify(ResetKey.fromExportKey(exportKey(4)).publicKey(), ALICE, 42,
        sig), "another record version's key");
    byte[] bad = sig.clone();
    bad[bad.length - 1] ^= 1;
    assertFalse(ResetKey.verify(k.publicKey(), ALICE, 42, bad));
    assertFalse(ResetKey.verify(new byte[65], ALICE, 42, sig), "not a point");
    assertFalse(ResetKey.verify(k.publicKey(), ALICE, 42, new byte[3]), "not DER");
  }
}
