package dev.bkv.wycheproof;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.hash.Hkdf;
import dev.bkv.pkcs11.testing.Tally;
import dev.bkv.pkcs11.testing.WycheproofCase;
import dev.bkv.pkcs11.testing.WycheproofFile;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Wycheproof {@code hkdf_sha256_test.json} through {@link Hkdf} (the HKDF of the OPAQUE key
 * schedule and of the backup-key sealer): Extract(salt, ikm) then Expand(prk, info, size).
 * The invalid cases ask for more than 255·32 bytes, which Expand must refuse.
 */
class HkdfWycheproofTest {
  @Test
  void everyCase() {
    WycheproofFile file = WycheproofFile.load("hkdf_sha256_test.json");
    Tally tally = file.tally("dev.bkv.hash.Hkdf extract+expand");
    for (WycheproofCase c : file.cases()) {
      int size = c.test().get("size").asInt();
      byte[] okm;
      try {
        okm = Hkdf.expand(Hkdf.extract(c.hex("salt"), c.hex("ikm")), c.hex("info"), size);
      } catch (IllegalArgumentException refused) {
        assertTrue(refused.getMessage().contains("length is " + size + " bytes"),
            refused.getMessage());
        tally.rejected(c);
        continue;
      }
      tally.accepted(c, okm.length == size && Arrays.equals(c.hex("okm"), okm));
    }
    tally.finish(file.numberOfTests());
  }
}
