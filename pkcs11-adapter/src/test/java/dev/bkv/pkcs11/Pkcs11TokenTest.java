package dev.bkv.pkcs11;

import static org.junit.jupiter.api.Assertions.*;

import dev.bkv.pkcs11.testing.SoftHsmTokens;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class Pkcs11TokenTest {
  static SoftHsmTokens.TestToken created;
  static Pkcs11Token token;

  @BeforeAll
  static void open() throws Exception {
    created = SoftHsmTokens.createToken("tok");
    token = Pkcs11Token.open(created.config());
  }

  @AfterAll
  static void close() {
    token.close();
  }

  @Test
  void reportsTokenInfo() throws Exception {
    TokenInfo info = token.info();
    assertEquals(created.label(), info.label());
    assertEquals("SoftHSM project", info.manufacturer());
    assertEquals("SoftHSM v2", info.model());
    assertTrue(info.serial().matches("[0-9a-f]{16}"), info.serial());
    assertEquals("2.6", info.firmwareVersion());
    assertTrue(info.flags().contains(TokenFlag.TOKEN_INITIALIZED));
    assertTrue(info.flags().contains(TokenFlag.LOGIN_REQUIRED));
    assertTrue(info.flags().contains(TokenFlag.RNG));
  }

  @Test
  void opensBySerialToo() throws Exception {
    String serial = token.info().serial();
    Pkcs11Config bySerial = new Pkcs11Config(created.config().module(), TokenSelector.serial(serial),
        created.config().userPin(), created.config().soPin());
    try (Pkcs11Token t = Pkcs11Token.open(bySerial)) {
      assertEquals(created.label(), t.info().label());
    }
  }

  @Test
  void pinFilesGiveAnEquivalentFileConfig(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Pkcs11Config files = created.configWithPinFiles(dir);
    java.util.Properties p = files.toProperties();
    assertEquals("file:" + dir.resolve("user.pin"), p.getProperty(Pkcs11Config.USER_PIN));
    try (Pkcs11Token t = Pkcs11Token.open(Pkcs11Config.fromProperties(p, "test"))) {
      assertEquals(created.label(), t.info().label());
      assertEquals("so", t.asSecurityOfficer(so -> "so"));
    }
  }

  @Test
  void randomBytesComeFromTheToken() throws Exception {
    byte[] a = token.random(32);
    byte[] b = token.random(32);
    assertEquals(32, a.length);
    assertFalse(java.util.Arrays.equals(a, b));
  }

  @Test
  void wrongPinIsReportedWithTokenModuleAndCkr() {
    Pkcs11Config bad = Pkcs11Config.of(created.config().module(), created.config().token(),
        PinSource.of("wrong-pin".toCharArray()));
    HsmException e = assertThrows(HsmException.class, () -> Pkcs11Token.open(bad));
    assertEquals("CKR_PIN_INCORRECT", e.ckr().orElseThrow().name());
    assertEquals("opening token '" + created.label() + "' on " + created.config().module()
        + ": CKR_PIN_INCORRECT (wrong PIN)", e.getMessage());
  }

  @Test
  void wrongPinOnATokenNotYetLoggedInIsRefusedByTheToken() {
    SoftHsmTokens.TestToken fresh = SoftHsmTokens.createToken("fresh");
    Pkcs11Config bad = Pkcs11Config.of(fresh.config().module(), fresh.config().token(),
        PinSource.of("not-the-pin".toCharArray()));
    HsmException e = assertThrows(HsmException.class, () -> Pkcs11Token.open(bad));
    assertEquals(Ckr.PIN_INCORRECT, e.ckr().orElseThrow());
    assertTrue(e.getMessage().startsWith("opening token '" + fresh.label() + "' on "), e.getMessage());
    assertFalse(e.getMessage().contains("not-the-pin"));
  }

  @Test
  void unknownReturnValuesGetAHexName() {
    assertEquals("CKR_PIN_INCORRECT", Ckr.of(0xA0).name());
    assertEquals("CKR_0x80001234", Ckr.of(0x80001234L).name());
  }

  @Test
  void missingModuleFileIsAConfigError() {
    Pkcs11Config bad = Pkcs11Config.of(Path.of("/nonexistent/libpkcs11.so"), created.config().token(),
        created.config().userPin());
    HsmConfigException e = assertThrows(HsmConfigException.class, () -> Pkcs11Token.open(bad));
    assertTrue(e.getMessage().contains("/nonexistent/libpkcs11.so"), e.getMessage());
    assertTrue(e.getMessage().contains("module file does not exist"), e.getMessage());
    assertTrue(e.ckr().isEmpty());
  }

  @Test
  void missingTokenLabelIsNotFoundAndListsWhatExists() {
    Pkcs11Config bad = Pkcs11Config.of(created.config().module(), TokenSelector.label("no-such-token"),
        created.config().userPin());
    HsmNotFoundException e = assertThrows(HsmNotFoundException.class, () -> Pkcs11Token.open(bad));
    assertTrue(e.getMessage().startsWith("opening token 'no-such-token' on "), e.getMessage());
    assertTrue(e.getMessage().contains("no such token"), e.getMessage());
    assertTrue(e.getMessage().contains("'" + created.label() + "'"), e.getMessage());
  }

  @Test
  void unsupportedMechanismIsNamed() throws Exception {
    assertTrue(token.supports(Pkcs11Mechanism.ECDH1_DERIVE));
    assertFalse(token.supports(Pkcs11Mechanism.HKDF_DERIVE));
    HsmException e = assertThrows(HsmException.class,
        () -> token.requireMechanisms(Pkcs11Mechanism.AES_GCM, Pkcs11Mechanism.HKDF_DERIVE));
    assertEquals(Ckr.MECHANISM_INVALID, e.ckr().orElseThrow());
    assertTrue(e.getMessage().contains("CKM_HKDF_DERIVE"), e.getMessage());
    assertTrue(e.getMessage().contains("mechanism not supported by this token"), e.getMessage());
  }

  @Test
  void securityOfficerNeedsAnSoPin() {
    Pkcs11Config noSo = Pkcs11Config.of(created.config().module(), created.config().token(),
        created.config().userPin());
    try (Pkcs11Token t = Pkcs11Token.open(noSo)) {
      HsmConfigException e = assertThrows(HsmConfigException.class, () -> t.asSecurityOfficer(so -> null));
      assertTrue(e.getMessage().contains("pkcs11.so-pin"), e.getMessage());
    } catch (HsmException e) {
      fail(e);
    }
  }

  @Test
  void severalTokensOfOneModuleAtOnce() throws Exception {
    Pkcs11Token[] tokens = new Pkcs11Token[4];
    try {
      for (int i = 0; i < tokens.length; i++) {
        tokens[i] = Pkcs11Token.open(SoftHsmTokens.create("member"));
      }
      for (int i = 0; i < tokens.length; i++) {
        EcPrivateKey k = tokens[i].keys().generateEcP256(KeySpec.of("member/identity", KeyUsage.SIGN));
        assertEquals(64, k.signEcdsa(new byte[] {1}).length);
        for (int j = 0; j < tokens.length; j++) {
          assertEquals(j <= i, tokens[j].keys().exists("member/identity"),
              "token " + j + " after generating on " + i);
        }
      }
    } finally {
      for (Pkcs11Token t : tokens) {
        if (t != null) {
          t.close();
        }
      }
    }
  }
}
