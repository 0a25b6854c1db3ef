package dev.bkv.pkcs11.internal;

import static org.junit.jupiter.api.Assertions.*;

import dev.bkv.pkcs11.HsmException;
import java.security.SecureRandom;
import org.bouncycastle.crypto.engines.AESWrapEngine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/** The host half of the ECDH wrap-out: RFC 3394 unwrap with its integrity check. */
class WrapOutTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private static byte[] wrap(byte[] kek, byte[] secret) {
    AESWrapEngine e = new AESWrapEngine();
    e.init(true, new KeyParameter(kek));
    return e.wrap(secret, 0, secret.length);
  }

  @Test
  void unwrapsRfc3394OfAThirtyTwoByteSecret() throws Exception {
    byte[] kek = random(32);
    byte[] x = random(32);
    assertArrayEquals(x, WrapOut.unwrap(kek, wrap(kek, x), "t"));
  }

  @Test
  void aBlobThatFailsTheIntegrityCheckIsRefused() {
    byte[] kek = random(32);
    byte[] blob = wrap(kek, random(32));
    blob[20] ^= 1;
    HsmException e = assertThrows(HsmException.class, () -> WrapOut.unwrap(kek, blob, "t"));
    assertEquals("t: the secret wrapped out under the host session key fails RFC 3394's integrity "
        + "check [mechanism CKM_AES_KEY_WRAP]", e.getMessage());
    assertThrows(HsmException.class, () -> WrapOut.unwrap(random(32), wrap(kek, random(32)), "t"),
        "another key");
  }

  @Test
  void aBlobOfAnotherLengthIsRefused() {
    byte[] kek = random(32);
    HsmException e = assertThrows(HsmException.class,
        () -> WrapOut.unwrap(kek, wrap(kek, random(40)), "t"));
    assertEquals("t: C_WrapKey returned 48 bytes; expected 40 (RFC 3394 of a 32-byte x-coordinate) "
        + "[mechanism CKM_AES_KEY_WRAP]", e.getMessage());
  }

  @Test
  void theDerivedSecretIsExtractableAndAcceptedSensitive() {
    var t = WrapOut.derivedSecret();
    assertEquals(Boolean.TRUE, t.extractable());
    assertEquals(Boolean.TRUE, t.sensitive());
    assertEquals(Boolean.FALSE, t.token());
  }
}
