package dev.bkv.node.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.recovery.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/**
 * The login binding as vault.proto specifies it, recomputed with BouncyCastle's own HKDF and
 * HMAC, so that a client written from the spec and bkv's member agree byte for byte.
 */
class LoginBindingTest {
  private final SecureRandom rng = new SecureRandom();

  private byte[] random(int n) {
    byte[] b = new byte[n];
    rng.nextBytes(b);
    return b;
  }

  private static byte[] hmac(byte[] key, byte[]... parts) {
    HMac mac = new HMac(new SHA256Digest());
    mac.init(new KeyParameter(key));
    for (byte[] p : parts) {
      mac.update(p, 0, p.length);
    }
    byte[] out = new byte[32];
    mac.doFinal(out, 0);
    return out;
  }

  @Test
  void matchesTheSpecComputedIndependently() {
    byte[] sessionKey = random(32);
    byte[] token = random(32);
    byte[] session = random(16);
    byte[] record = random(129);
    byte[] sealed = random(61);
    byte[] key = new byte[32];
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(sessionKey, new byte[0],
        "bkv login binding v1".getBytes(StandardCharsets.US_ASCII)));
    hkdf.generateBytes(key, 0, 32);
    SecretBytes k = LoginBinding.key(SecretBytes.copyOf(sessionKey));
    assertArrayEquals(hmac(key, "bkv delete v1".getBytes(StandardCharsets.US_ASCII), token),
        LoginBinding.delete(k, token));
    assertArrayEquals(hmac(key, "bkv change-password v1".getBytes(StandardCharsets.US_ASCII),
        token, session, record, sealed),
        LoginBinding.changePassword(k, token, session, record, sealed));
  }

  @Test
  void matchesOnlyTheSameBytes() {
    byte[] b = random(32);
    assertTrue(LoginBinding.matches(b, b.clone()));
    byte[] other = b.clone();
    other[31] ^= 1;
    assertFalse(LoginBinding.matches(b, other));
    assertFalse(LoginBinding.matches(b, null));
    assertFalse(LoginBinding.matches(b, new byte[31]));
  }
}
