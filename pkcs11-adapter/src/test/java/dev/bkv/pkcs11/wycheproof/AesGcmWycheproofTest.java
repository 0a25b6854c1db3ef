package dev.bkv.pkcs11.wycheproof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.pkcs11.AesKey;
import dev.bkv.pkcs11.HsmAuthenticationException;
import dev.bkv.pkcs11.KeySpec;
import dev.bkv.pkcs11.KeyUsage;
import dev.bkv.pkcs11.ObjectClass;
import dev.bkv.pkcs11.ObjectInfo;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.PublicValue;
import dev.bkv.pkcs11.RsaPrivateKey;
import dev.bkv.pkcs11.testing.SoftHsmTokens;
import dev.bkv.pkcs11.testing.Tally;
import dev.bkv.pkcs11.testing.WycheproofCase;
import dev.bkv.pkcs11.testing.WycheproofFile;
import java.security.KeyFactory;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Cipher;
import org.junit.jupiter.api.Test;

/**
 * Wycheproof {@code aes_gcm_test.json} through {@link AesKey#encryptGcm} and
 * {@link AesKey#decryptGcm} on SoftHSM2. The adapter cannot import a raw AES key; each test key
 * enters the token the way ceremony keys do: wrapped in software to a token RSA transport key
 * (OAEP SHA-1) and unwrapped with {@link RsaPrivateKey#unwrapAes} as a sensitive,
 * non-extractable key. bkv uses AES-256 with 12-byte IVs and 16-byte tags only, and the adapter
 * refuses empty plaintexts; other cases are counted as not applicable, after checking that the
 * adapter refuses their IV or empty plaintext.
 */
class AesGcmWycheproofTest {
  @Test
  void everyApplicableCaseThroughTheToken() throws Exception {
    WycheproofFile file = WycheproofFile.load("aes_gcm_test.json");
    try (Pkcs11Token token = Pkcs11Token.open(SoftHsmTokens.create("wp-gcm"))) {
      RsaPrivateKey transport = token.keys().generateRsa(
          KeySpec.of("wycheproof/transport", KeyUsage.UNWRAP), 2048);
      Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
      PublicValue.Rsa pub = transport.publicKey();
      oaep.init(Cipher.ENCRYPT_MODE, KeyFactory.getInstance("RSA").generatePublic(
          new RSAPublicKeySpec(pub.modulus(), pub.publicExponent())));
      Map<String, AesKey> keys = new HashMap<>();
      Tally tally = file.tally("AesKey.encryptGcm/decryptGcm (SoftHSM2 CKM_AES_GCM, key unwrapped)");
      for (WycheproofCase c : file.cases()) {
        if (c.groupInt("keySize") != 256) {
          tally.notApplicable(c, c.groupInt("keySize") + "-bit key; bkv uses AES-256 only");
          continue;
        }
        byte[] k = c.hex("key");
        String hex = HexFormat.of().formatHex(k);
        AesKey key = keys.get(hex);
        if (key == null) {
          key = transport.unwrapAes(oaep.doFinal(k), KeySpec.of("wycheproof/gcm/" + keys.size(),
              KeyUsage.ENCRYPT, KeyUsage.DECRYPT));
          keys.put(hex, key);
        }
        AesKey aes = key;
        if (c.groupInt("ivSize") != 96) {
          assertThrows(IllegalArgumentException.class,
              () -> aes.encryptGcm(c.hex("iv"), new byte[1], c.hex("aad")), c.toString());
          tally.notApplicable(c, "IV other than 96 bits; AesKey refuses it");
          continue;
        }
        if (c.groupInt("tagSize") != 128) {
          tally.notApplicable(c, "tag other than 128 bits; AesKey takes only 16-byte tags");
          continue;
        }
        if (c.hex("msg").length == 0) {
          assertThrows(IllegalArgumentException.class,
              () -> aes.encryptGcm(c.hex("iv"), c.hex("msg"), c.hex("aad")), c.toString());
          tally.notApplicable(c, "empty plaintext; AesKey refuses it (PKCS#11 C_Encrypt rejects it)");
          continue;
        }
        byte[] ctTag = concat(c.hex("ct"), c.hex("tag"));
        byte[] opened;
        try {
          opened = key.decryptGcm(c.hex("iv"), ctTag, c.hex("aad"));
        } catch (HsmAuthenticationException e) {
          tally.rejected(c);
          continue;
        }
        boolean sealsTheSame =
            Arrays.equals(ctTag, key.encryptGcm(c.hex("iv"), c.hex("msg"), c.hex("aad")));
        tally.accepted(c, sealsTheSame && Arrays.equals(c.hex("msg"), opened));
      }
      tally.finish(file.numberOfTests());
      assertTrue(tally.accepted() >= 30 && tally.rejected() >= 20, "the applicable cases ran");
      int secret = 0;
      for (ObjectInfo o : token.inventory()) {
        if (o.objectClass() == ObjectClass.SECRET_KEY || o.objectClass() == ObjectClass.PRIVATE_KEY) {
          assertEquals(Boolean.FALSE, o.extractable(), o.toString());
          assertEquals(Boolean.TRUE, o.sensitive(), o.toString());
          secret++;
        }
      }
      assertEquals(keys.size() + 1, secret, "the unwrapped keys and the transport key");
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
