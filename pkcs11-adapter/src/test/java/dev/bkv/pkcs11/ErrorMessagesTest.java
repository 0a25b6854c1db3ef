package dev.bkv.pkcs11;

import static org.junit.jupiter.api.Assertions.*;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

import dev.bkv.pkcs11.internal.Errors;
import dev.bkv.pkcs11.internal.Involved;
import dev.bkv.pkcs11.internal.ModuleRegistry;
import dev.bkv.pkcs11.internal.QuietLogger;
import dev.bkv.pkcs11.testing.SoftHsmTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.PKCS11Exception;

/** Every module error names the mechanism and, for template errors, the attributes involved. */
class ErrorMessagesTest {
  static Pkcs11Token token;

  @BeforeAll
  static void open() throws Exception {
    token = Pkcs11Token.open(SoftHsmTokens.create("errors"));
  }

  @AfterAll
  static void close() {
    token.close();
  }

  @Test
  void aMechanismTheKeyMayNotDoIsNamed() throws Exception {
    AesKey wrapOnly = token.keys().generateAes256(KeySpec.of("errors/wrap-only", KeyUsage.WRAP));
    HsmException e = assertThrows(HsmException.class,
        () -> wrapOnly.encryptGcm(new byte[12], new byte[16], new byte[0]));
    assertTrue(e.getMessage().startsWith("AES-GCM encryption with AES key 'errors/wrap-only'"), e.getMessage());
    assertTrue(e.getMessage().contains("[mechanism CKM_AES_GCM]"), e.getMessage());
  }

  @Test
  void wrappingAnUnextractableKeyNamesTheWrapMechanism() throws Exception {
    AesKey kek = token.keys().generateAes256(KeySpec.of("errors/kek", KeyUsage.WRAP, KeyUsage.UNWRAP));
    AesKey fixed = token.keys().generateAes256(KeySpec.of("errors/fixed", KeyUsage.ENCRYPT));
    HsmException e = assertThrows(HsmException.class, () -> kek.wrap(fixed));
    assertEquals("CKR_KEY_UNEXTRACTABLE", e.ckr().orElseThrow().name());
    assertTrue(e.getMessage().contains("mechanism CKM_AES_KEY_WRAP_PAD"), e.getMessage());
  }

  @Test
  void aRefusedAttributeIsNamedWithItsValue() {
    Involved.reset();
    Involved.mechanism(CKM_AES_KEY_GEN);
    Involved.template(new AttributeVector().class_(CKO_SECRET_KEY).wrapWithTrusted(false));
    HsmException e = Errors.map("generating AES key 'k' on token 't'",
        new PKCS11Exception(CKR_ATTRIBUTE_TYPE_INVALID));
    assertEquals("generating AES key 'k' on token 't': CKR_ATTRIBUTE_TYPE_INVALID [mechanism "
        + "CKM_AES_KEY_GEN; attributes CKA_CLASS=4, CKA_WRAP_WITH_TRUSTED=false]", e.getMessage());
  }

  @Test
  void mechanismErrorsLeaveTheTemplateOut() {
    Involved.reset();
    Involved.mechanism(CKM_EC_EDWARDS_KEY_PAIR_GEN);
    Involved.template(new AttributeVector().token(true));
    HsmException e = Errors.map("generating Ed25519 key", new PKCS11Exception(CKR_MECHANISM_INVALID));
    assertEquals("generating Ed25519 key: CKR_MECHANISM_INVALID (mechanism not supported by this "
        + "token) [mechanism CKM_EC_EDWARDS_KEY_PAIR_GEN]", e.getMessage());
  }

  @Test
  void vendorCodesAreNamedInHex() {
    assertEquals("CKM_0x80000171", Involved.ckmName(0x80000171L));
    assertEquals("CKA_0x80001234", Involved.ckaName(0x80001234L));
    assertEquals("CKM_AES_KEY_WRAP_KWP", Involved.ckmName(0x210BL));
  }

  @Test
  void aReadAttributeIsNamedWhenNoMechanismWasUsed() {
    Involved.reset();
    Involved.attributes(CKA_VALUE);
    HsmException e = Errors.map("reading", new PKCS11Exception(CKR_ATTRIBUTE_SENSITIVE));
    assertTrue(e.getMessage().endsWith("[attribute CKA_VALUE]"), e.getMessage());
  }

  @Test
  void argumentsBadAtInitializeHintsAtInitArgs() {
    String hint = ModuleRegistry.initHint(CKR_ARGUMENTS_BAD, "");
    assertTrue(hint.contains("pkcs11.init-args"), hint);
    assertTrue(hint.contains("configdir='sql:"), hint);
    assertTrue(ModuleRegistry.initHint(CKR_ARGUMENTS_BAD, "configdir='x'").contains("refused pkcs11.init-args"));
    assertEquals("", ModuleRegistry.initHint(CKR_GENERAL_ERROR, ""));
  }

  @Test
  void wrapperWarningsBecomeOnePrintableLine() {
    assertEquals("token time \\x00\\x01 invalid next", QuietLogger.printable("token time \u0000\u0001 invalid\nnext"));
    assertEquals("caf\\xE9 \\xFD", QuietLogger.printable("caf\u00e9 \ufffd"));
  }
}
