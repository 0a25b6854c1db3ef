package dev.bkv.transparency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.transparency.internal.KeyIds;
import dev.bkv.transparency.internal.NoteSyntax;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class VerifierKeyTest {

  /** A verifier key string with a correct key ID for any 32 bytes, point or not. */
  static String ed25519String(String name, byte[] key) {
    byte[] material = new byte[33];
    material[0] = 0x01;
    System.arraycopy(key, 0, material, 1, 32);
    return name + "+" + NoteSyntax.keyIdHex(KeyIds.ed25519(name, key)) + "+"
        + Base64.getEncoder().encodeToString(material);
  }

  /** y = 2 (little-endian): (y² − 1)/(d·y² + 1) has no square root, so no point has it. */
  static byte[] notAPoint() {
    byte[] key = new byte[32];
    key[0] = 2;
    return key;
  }

  @Test
  void anEd25519KeyThatIsNotACurvePointIsBadInput() {
    byte[] key = notAPoint();
    MalformedInputException e = assertThrows(MalformedInputException.class,
        () -> VerifierKey.parse(ed25519String("cosigner.example", key)));
    assertEquals(MalformedInputException.Problem.BAD_KEY, e.problem());
    assertTrue(e.getMessage().contains(HexFormat.of().formatHex(key)), e.getMessage());
    assertTrue(e.getMessage().contains("not a valid curve point"), e.getMessage());
    assertThrows(MalformedInputException.class, () -> VerifierKey.ed25519("cosigner.example", key));
  }

  @Test
  void everyEd25519KeyThatParsesGivesAVerifier() throws Exception {
    // All 256 values of the low byte with the rest zero: some are points, some not; none may
    // parse and then fail when its verifier is made.
    int parsed = 0;
    for (int b = 0; b < 256; b++) {
      byte[] key = new byte[32];
      key[0] = (byte) b;
      VerifierKey k;
      try {
        k = VerifierKey.parse(ed25519String("k", key));
      } catch (MalformedInputException refused) {
        continue;
      }
      parsed++;
      NoteVerifier v = k.verifier();
      assertFalse(v.verify("text\n".getBytes(StandardCharsets.UTF_8), new byte[64]));
    }
    assertTrue(parsed > 0 && parsed < 256, parsed + " of 256 parsed");
  }

  @Test
  void aGeneratedKeyRoundTrips() throws Exception {
    VerifierKey k = Ed25519NoteSigner.generate("cosigner.example", new SecureRandom())
        .verifierKey();
    assertEquals(k, VerifierKey.parse(k.encode()));
  }
}
