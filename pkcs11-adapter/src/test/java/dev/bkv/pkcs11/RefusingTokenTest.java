package dev.bkv.pkcs11;

import static org.junit.jupiter.api.Assertions.*;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

import dev.bkv.pkcs11.check.Capability;
import dev.bkv.pkcs11.check.CheckReport;
import dev.bkv.pkcs11.check.Finding;
import dev.bkv.pkcs11.check.Role;
import dev.bkv.pkcs11.check.Status;
import dev.bkv.pkcs11.internal.Reseal;
import dev.bkv.pkcs11.testing.RefusingShim;
import dev.bkv.pkcs11.testing.SoftHsmTokens;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.Session;

/**
 * A SoftHSM2 token seen through a shim module that refuses {@code C_SetAttributeValue} of
 * {@code CKA_EXTRACTABLE} and ignores caller GCM IVs (see {@code src/test/c/refusing-shim.c}):
 * sealing falls back to unwrapping once more, and GCM is reported missing, naming what each way
 * of taking IVs did.
 */
class RefusingTokenTest {
  static Pkcs11Config direct;
  static Pkcs11Config shimmed;

  @BeforeAll
  static void tokens() throws Exception {
    // SoftHSM2 is loaded directly first, so that it finds the tokens made after (the shim
    // shares that one SoftHSM2 instance)
    direct = SoftHsmTokens.create("refusing");
    Pkcs11Token.open(direct).close();
    shimmed = new Pkcs11Config(RefusingShim.module(), direct.token(), direct.userPin(),
        direct.soPin(), Optional.empty());
  }

  /** An extractable HMAC key without CKA_WRAP_WITH_TRUSTED, made raw; returns its label. */
  private static String extractableHmacKey(Pkcs11Token t) throws Exception {
    String label = "seal/" + UUID.randomUUID();
    Session s = RawAccess.slot(t).getToken().openSession(true);
    try {
      s.generateKey(new Mechanism(CKM_GENERIC_SECRET_KEY_GEN), new AttributeVector()
          .class_(CKO_SECRET_KEY).keyType(CKK_GENERIC_SECRET).valueLen(32).token(true)
          .private_(true).sensitive(true).extractable(true).sign(true).verify(true)
          .label(label).id(new byte[] {1, 2, 3}));
    } finally {
      s.closeSession();
    }
    return label;
  }

  @Test
  void aRefusedSealUnwrapsTheKeyOnceMoreAsNonExtractable() throws Exception {
    try (Pkcs11Token t = Pkcs11Token.open(shimmed)) {
      HmacKey k = t.keys().findHmacKey(extractableHmacKey(t));
      byte[] before = k.sign("same key material".getBytes());
      assertEquals(Sealing.REUNWRAPPED, k.seal());
      ObjectInfo after = k.info();
      assertEquals(Boolean.FALSE, after.extractable());
      assertEquals(Boolean.TRUE, after.sensitive());
      assertEquals(Boolean.TRUE, after.tokenObject());
      assertArrayEquals(new byte[] {1, 2, 3}, after.id(), "same CKA_ID");
      assertTrue(after.usages().contains(KeyUsage.SIGN), after.usages().toString());
      assertArrayEquals(before, k.sign("same key material".getBytes()),
          "the same secret, through the same object");
      assertEquals(1, t.inventory().stream().filter(o -> o.label().equals(k.label())).count(),
          "the extractable original is gone");
      assertEquals(Sealing.ALREADY, k.seal());
    }
  }

  @Test
  void aKeyThatOnlyATrustedKeyMayWrapCannotBeResealedAndTheErrorSaysWhy() throws Exception {
    try (Pkcs11Token t = Pkcs11Token.open(shimmed)) {
      AesKey k = t.keys().generateAes256(KeySpec.of("seal/trusted-" + UUID.randomUUID(),
          KeyUsage.WRAP, KeyUsage.UNWRAP).asCeremony());
      HsmException e = assertThrows(HsmException.class, k::seal);
      assertTrue(e.getMessage().contains("by unwrapping it once more as non-extractable (the token "
          + "refused C_SetAttributeValue CKA_EXTRACTABLE=false): CKR_KEY_NOT_WRAPPABLE"), e.getMessage());
      assertTrue(e.getMessage().contains("CKM_AES_KEY_WRAP_PAD"), e.getMessage());
      assertEquals(Boolean.TRUE, k.info().extractable(), "nothing changed");
    }
  }

  @Test
  void onSoftHsm2ItselfTheAttributeIsSet() throws Exception {
    try (Pkcs11Token t = Pkcs11Token.open(direct)) {
      HmacKey k = t.keys().findHmacKey(extractableHmacKey(t));
      assertEquals(Sealing.SET_ATTRIBUTE, k.seal());
      assertEquals(Boolean.FALSE, k.info().extractable());
    }
  }

  @Test
  void tokenCheckShowsTheSealingFallbackAndWhyGcmCannotWork() throws Exception {
    try (Pkcs11Token t = Pkcs11Token.open(shimmed)) {
      CheckReport r = t.check();
      System.out.println(r.table());
      // SoftHSM2 enforces trusted wrap, so the fleet keys (ceremony keys) cannot be unwrapped
      // once more under a session key: no genesis here
      Finding sealing = r.finding(Capability.SEALING);
      assertEquals(Status.MISSING, sealing.status(), sealing.detail());
      assertTrue(sealing.detail().startsWith("C_SetAttributeValue refused: CKR_ATTRIBUTE_READ_ONLY"),
          sealing.detail());
      assertTrue(sealing.detail().contains("; unwrapping a CKA_WRAP_WITH_TRUSTED key (as the fleet keys "
          + "are) once more as non-extractable under a session key failed too: CKR_KEY_NOT_WRAPPABLE"),
          sealing.detail());
      assertFalse(r.canHost(Role.GENESIS));
      assertTrue(r.refusal(Role.GENESIS).orElseThrow().contains("sealing ("), r.refusal(Role.GENESIS).get());
      Finding gcm = r.finding(Capability.AES_GCM);
      assertEquals(Status.MISSING, gcm.status(), gcm.detail());
      assertTrue(gcm.detail().contains("the token neither encrypts under the caller's IV (ignored: "
          + "two encryptions under one IV differ) nor returns its own through C_EncryptMessage with "
          + "CKG_GENERATE_RANDOM (refused: CKR_FUNCTION_NOT_SUPPORTED) [mechanism CKM_AES_GCM]"),
          gcm.detail());
      assertFalse(r.canHost(Role.MEMBER));
      assertTrue(r.refusal(Role.MEMBER).orElseThrow().contains("AES-256-GCM ("), r.refusal(Role.MEMBER).get());
      assertTrue(r.canHost(Role.OPERATOR));
    }
  }

  @Test
  void aCallersIvIsNotUsedOnATokenThatIgnoresIt() throws Exception {
    try (Pkcs11Token t = Pkcs11Token.open(shimmed)) {
      AesKey k = t.keys().generateAes256(KeySpec.of("gcm/" + UUID.randomUUID(), KeyUsage.ENCRYPT,
          KeyUsage.DECRYPT));
      HsmException e = assertThrows(HsmException.class,
          () -> k.encryptGcm(t.random(12), new byte[32], new byte[0]));
      assertTrue(e.getMessage().contains("(ignored: two encryptions under one IV differ)"), e.getMessage());
      assertThrows(HsmException.class, k::gcmIv);
    }
  }

  @Test
  void theSealingRowForEachOutcomeOfTheFallback() {
    Finding works = dev.bkv.pkcs11.check.RawProbesAccess.reunwrapFinding("C_SetAttributeValue refused: X",
        () -> Boolean.FALSE);
    assertEquals(Status.FALLBACK, works.status());
    assertEquals("seal by unwrapping once more as non-extractable and destroying the extractable "
        + "copy (tried: works)", works.fallback());
    Finding ignored = dev.bkv.pkcs11.check.RawProbesAccess.reunwrapFinding("accepted but CKA_EXTRACTABLE "
        + "still reads true", () -> Boolean.TRUE);
    assertEquals(Status.MISSING, ignored.status());
    assertEquals("accepted but CKA_EXTRACTABLE still reads true; unwrapped once more, the copy's "
        + "CKA_EXTRACTABLE reads true", ignored.detail());
  }

  @Test
  void onlyDeclinesLeadToTheFallback() {
    for (long ckr : new long[] {CKR_ATTRIBUTE_READ_ONLY, CKR_ACTION_PROHIBITED,
        CKR_FUNCTION_NOT_SUPPORTED, CKR_ATTRIBUTE_VALUE_INVALID, CKR_ATTRIBUTE_TYPE_INVALID,
        CKR_TEMPLATE_INCONSISTENT}) {
      assertTrue(Reseal.refusal(ckr), Ckr.of(ckr).name());
    }
    for (long ckr : new long[] {CKR_SESSION_HANDLE_INVALID, CKR_DEVICE_ERROR, CKR_USER_NOT_LOGGED_IN,
        CKR_GENERAL_ERROR}) {
      assertFalse(Reseal.refusal(ckr), Ckr.of(ckr).name());
    }
  }
}
