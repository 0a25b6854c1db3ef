package dev.bkv.transparency.fuzz;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.transparency.MalformedInputException;
import dev.bkv.transparency.VerifierKey;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Inputs {@link TransparencyFuzzTest} found; each is also a seed of its target. */
class TransparencyFindingsTest {
  private String seed(String target, String name) throws Exception {
    try (var in = getClass().getResourceAsStream("TransparencyFuzzTestInputs/" + target + "/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * An ECDSA verifier key whose SPKI BIT STRING declares unused bits made BouncyCastle throw
   * IllegalStateException out of {@link VerifierKey#parse}.
   */
  @Test
  void spkiBitStringWithPadBitsIsABadKey() throws Exception {
    String vkey = seed("verifierKeyParse", "spki-bit-string-pad-bits");
    assertThrows(MalformedInputException.class, () -> VerifierKey.parse(vkey));
  }

  /**
   * An ECDSA verifier key whose algorithm parameters are a UTF8String of invalid UTF-8: building
   * the error message called the parameters' toString, which threw IllegalArgumentException.
   */
  @Test
  void spkiParametersThatAreNotPrintableAreABadKey() throws Exception {
    String vkey = seed("verifierKeyParse", "spki-parameters-invalid-utf8");
    MalformedInputException e = assertThrows(MalformedInputException.class, () -> VerifierKey.parse(vkey));
    assertTrue(e.getMessage().contains("with parameters DER 0c08"), e.getMessage());
  }
}
