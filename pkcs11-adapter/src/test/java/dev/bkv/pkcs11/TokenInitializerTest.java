package dev.bkv.pkcs11;

import static org.junit.jupiter.api.Assertions.*;

import dev.bkv.pkcs11.testing.SoftHsmTokens;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class TokenInitializerTest {

  private static Pkcs11Config config(String label) {
    return Pkcs11Config.of(SoftHsmTokens.module(), TokenSelector.label(label),
        PinSource.of("user-1234".toCharArray())).withSoPin(PinSource.of("so-5678".toCharArray()));
  }

  @Test
  void initializesAFreeSlotAndRefusesADuplicateLabel() throws Exception {
    SoftHsmTokens.ensureConf();
    byte[] r = new byte[4];
    new java.security.SecureRandom().nextBytes(r);
    String label = "init-" + HexFormat.of().formatHex(r);
    TokenInitializer.initialize(config(label));
    try (Pkcs11Token t = Pkcs11Token.open(config(label))) {
      assertEquals(label, t.info().label());
      assertTrue(t.info().flags().contains(TokenFlag.USER_PIN_INITIALIZED));
      assertEquals("so", t.asSecurityOfficer(so -> "so"));
    }
    HsmException e = assertThrows(HsmException.class, () -> TokenInitializer.initialize(config(label)));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
  }

  @Test
  void needsALabelAndAnSoPin() {
    Pkcs11Config bySerial = new Pkcs11Config(SoftHsmTokens.module(), TokenSelector.serial("00"),
        PinSource.of("u".toCharArray()), java.util.Optional.of(PinSource.of("s".toCharArray())));
    assertThrows(HsmConfigException.class, () -> TokenInitializer.initialize(bySerial));
    Pkcs11Config noSo = Pkcs11Config.of(SoftHsmTokens.module(), TokenSelector.label("x"),
        PinSource.of("u".toCharArray()));
    HsmConfigException e = assertThrows(HsmConfigException.class, () -> TokenInitializer.initialize(noSo));
    assertTrue(e.getMessage().contains("pkcs11.so-pin"), e.getMessage());
  }

  @Test
  void destroyAllRemovesEveryObjectWithTheLabel() throws Exception {
    try (Pkcs11Token t = Pkcs11Token.open(SoftHsmTokens.create("destroy-all"))) {
      t.keys().generateEcP256(KeySpec.of("gone", KeyUsage.DERIVE));
      t.keys().generateAes256(KeySpec.of("gone", KeyUsage.ENCRYPT));
      t.keys().generateAes256(KeySpec.of("kept", KeyUsage.ENCRYPT));
      assertEquals(3, t.keys().destroyAll("gone"));
      assertFalse(t.keys().exists("gone"));
      assertTrue(t.keys().exists("kept"));
      assertEquals(0, t.keys().destroyAll("gone"));
    }
  }
}
