package dev.bkv.wycheproof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bkv.hash.Hkdf;
import dev.bkv.hygiene.NoExtractableKeys;
import dev.bkv.opaque.KeyedHmac;
import dev.bkv.opaque.Pkcs11Primitives;
import dev.bkv.pkcs11.KeySpec;
import dev.bkv.pkcs11.KeyUsage;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.testing.SoftHsmTokens;
import dev.bkv.pkcs11.testing.Tally;
import dev.bkv.pkcs11.testing.WycheproofCase;
import dev.bkv.pkcs11.testing.WycheproofFile;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Wycheproof {@code hmac_sha256_test.json} through bkv's two HMAC-SHA256 paths: the software
 * {@link Hkdf#hmac} (OPAQUE MACs) and the HSM {@code CKM_SHA256_HMAC} via
 * {@link Pkcs11Primitives#hmac} (the {@code oprf_seed} key) with the test key imported. A tag
 * is accepted when it equals the computed one under {@link MessageDigest#isEqual}, as bkv
 * compares MACs. bkv only uses full 32-byte tags, so truncated-tag groups are not applicable.
 */
class HmacWycheproofTest {
  private static final WycheproofFile FILE = WycheproofFile.load("hmac_sha256_test.json");

  interface Mac {
    byte[] mac(byte[] key, byte[] msg) throws Exception;
  }

  static Tally run(String path, Mac mac, boolean hsm) throws Exception {
    Tally tally = FILE.tally(path);
    for (WycheproofCase c : FILE.cases()) {
      if (c.groupInt("tagSize") != 256) {
        tally.notApplicable(c, "truncated " + c.groupInt("tagSize")
            + "-bit tag; bkv only uses full 256-bit HMAC-SHA256 tags");
        continue;
      }
      byte[] key = c.hex("key");
      if (hsm && key.length != 32) {
        tally.notApplicable(c, key.length + "-byte key; bkv's HSM HMAC keys (oprf_seed) are 32 "
            + "bytes and the adapter imports only that size");
        continue;
      }
      boolean ok = MessageDigest.isEqual(mac.mac(key, c.hex("msg")), c.hex("tag"));
      tally.verdict(c, ok);
    }
    return tally;
  }

  @Test
  void software() throws Exception {
    run("dev.bkv.hash.Hkdf.hmac", (k, m) -> Hkdf.hmac(k, m), false)
        .finish(FILE.numberOfTests());
  }

  @Test
  void hsm() throws Exception {
    try (Pkcs11Token token = Pkcs11Token.open(SoftHsmTokens.create("wp-hmac"))) {
      Map<String, KeyedHmac> keys = new HashMap<>();
      Tally t = run("Pkcs11Primitives.hmac (SoftHSM2 CKM_SHA256_HMAC)", (k, m) -> {
        String hex = HexFormat.of().formatHex(k);
        KeyedHmac h = keys.get(hex);
        if (h == null) {
          h = Pkcs11Primitives.hmac(token.keys().importHmacKey(
              KeySpec.of("wycheproof/hmac/" + keys.size(), KeyUsage.SIGN), k));
          keys.put(hex, h);
        }
        return h.hmac(m);
      }, true);
      t.finish(FILE.numberOfTests());
      for (int n : new int[] {16, 65}) {
        assertThrows(IllegalArgumentException.class, () -> token.keys().importHmacKey(
            KeySpec.of("wycheproof/hmac/" + n + "-byte", KeyUsage.SIGN), new byte[n]),
            "the not-applicable reason: the adapter refuses a " + n + "-byte HMAC key");
      }
      assertEquals(keys.size(), NoExtractableKeys.check(token));
    }
  }
}
