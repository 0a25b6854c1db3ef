package dev.bkv.pkcs11;

import static org.junit.jupiter.api.Assertions.*;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

import dev.bkv.pkcs11.internal.Templates;
import org.junit.jupiter.api.Test;
import org.xipki.pkcs11.wrapper.AttributeVector;

/** Templates send what a key needs and nothing a token might refuse at its default value. */
class TemplatesTest {
  private static final byte[] ID = {1, 2, 3};

  @Test
  void wrapWithTrustedIsSentOnlyForCeremonyKeys() {
    KeySpec plain = KeySpec.of("k", KeyUsage.ENCRYPT, KeyUsage.DECRYPT);
    assertNull(Templates.secretKey(KeyType.AES, plain, ID, 32).getAttribute(CKA_WRAP_WITH_TRUSTED));
    assertNull(Templates.privateKey(KeyType.EC_P256, KeySpec.of("e", KeyUsage.DERIVE), ID)
        .getAttribute(CKA_WRAP_WITH_TRUSTED));
    AttributeVector ceremony = Templates.secretKey(KeyType.AES, plain.asCeremony(), ID, 32);
    assertEquals(Boolean.TRUE, ceremony.wrapWithTrusted());
    assertEquals(Boolean.TRUE, ceremony.extractable());
  }

  @Test
  void recoverUsagesOnlyForRsa() {
    assertNull(Templates.privateKey(KeyType.EC_P256, KeySpec.of("e", KeyUsage.SIGN), ID)
        .getAttribute(CKA_SIGN_RECOVER));
    assertNull(Templates.publicKey(KeyType.EC_P256, KeySpec.of("e", KeyUsage.SIGN), ID)
        .getAttribute(CKA_VERIFY_RECOVER));
    assertEquals(Boolean.FALSE, Templates.privateKey(KeyType.RSA, KeySpec.of("r", KeyUsage.UNWRAP), ID)
        .signRecover());
  }

  @Test
  void securityAttributesStayExplicit() {
    AttributeVector t = Templates.secretKey(KeyType.AES, KeySpec.of("k", KeyUsage.ENCRYPT), ID, 32);
    assertEquals(Boolean.TRUE, t.sensitive());
    assertEquals(Boolean.FALSE, t.extractable());
    assertEquals(Boolean.FALSE, t.wrap());
    assertEquals(Boolean.FALSE, t.derive());
  }

  @Test
  void forcedUsageRetryDropsOnlyFalseUsages() {
    AttributeVector t = Templates.secretKey(KeyType.AES, KeySpec.of("k", KeyUsage.ENCRYPT), ID, 32);
    AttributeVector r = Templates.withoutFalseUsages(t);
    assertEquals(Boolean.TRUE, r.encrypt());
    assertNull(r.getAttribute(CKA_DECRYPT));
    assertNull(r.getAttribute(CKA_WRAP));
    assertEquals(Boolean.TRUE, r.sensitive());
    assertEquals(Boolean.FALSE, r.extractable(), "security attributes are never dropped");
    assertTrue(Templates.mayBeForcedUsages(CKR_TEMPLATE_INCONSISTENT));
    assertFalse(Templates.mayBeForcedUsages(CKR_MECHANISM_INVALID));
  }
}
