package dev.bkv.wycheproof;

import dev.bkv.crypto.EcdsaP256;
import dev.bkv.pkcs11.testing.Tally;
import dev.bkv.pkcs11.testing.WycheproofCase;
import dev.bkv.pkcs11.testing.WycheproofFile;
import org.junit.jupiter.api.Test;

/**
 * Wycheproof ECDSA P-256/SHA-256 verify through the deployment-evidence path
 * ({@link P256#verify}, used by the evidence verifier for signatures the HSM made). DER
 * signatures go straight in; P1363 (r‖s) signatures go through {@link P256#rawToDer}, the
 * conversion bkv applies to the token's raw signatures, and a signature that is not 64 bytes is
 * refused there. The note verifiers run the same files in {@code WycheproofNoteVerifierTest}.
 */
class EcdsaEvidenceVerifierWycheproofTest {
  private static byte[] point(WycheproofCase c) {
    return WycheproofFile.hex(c.group().get("publicKey").get("uncompressed").asText());
  }

  @Test
  void derSignatures() {
    WycheproofFile file =
        WycheproofFile.loadResource("vectors/wycheproof/ecdsa_secp256r1_sha256_test.json");
    Tally t = file.tally("dev.bkv.crypto.EcdsaP256.verify (DER)");
    for (WycheproofCase c : file.cases()) {
      boolean ok = EcdsaP256.verify(point(c), c.hex("msg"), c.hex("sig"));
      t.verdict(c, ok);
    }
    t.finish(file.numberOfTests());
  }

  @Test
  void p1363Signatures() {
    WycheproofFile file =
        WycheproofFile.loadResource("wycheproof/ecdsa_secp256r1_sha256_p1363_test.json");
    Tally t = file.tally("EcdsaP256.derFromRaw + EcdsaP256.verify (r||s as the HSM returns it)");
    for (WycheproofCase c : file.cases()) {
      byte[] der;
      try {
        der = EcdsaP256.derFromRaw(c.hex("sig"));
      } catch (IllegalArgumentException notTwoScalarsInRange) {
        t.rejected(c);
        continue;
      }
      boolean ok = EcdsaP256.verify(point(c), c.hex("msg"), der);
      t.verdict(c, ok);
    }
    t.finish(file.numberOfTests());
  }
}
