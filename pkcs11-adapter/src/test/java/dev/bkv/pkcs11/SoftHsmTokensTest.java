package dev.bkv.pkcs11;

import static org.junit.jupiter.api.Assertions.*;

import dev.bkv.pkcs11.testing.SoftHsmTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SoftHsmTokensTest {

  @Test
  void missingToolFailsLoudly() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> SoftHsmTokens.findOnPath("softhsm2-util-that-is-not-installed"));
    assertTrue(e.getMessage().contains("not found on PATH"), e.getMessage());
  }

  @Test
  void confAndTokenDirectoryExist() throws Exception {
    Path conf = SoftHsmTokens.ensureConf();
    assertTrue(Files.isRegularFile(conf));
    String text = Files.readString(conf);
    assertTrue(text.contains("directories.tokendir"), text);
    assertTrue(text.contains("objectstore.backend = file"), text);
  }

  @Test
  void tokensAreFreshAndUnique() throws Exception {
    SoftHsmTokens.TestToken a = SoftHsmTokens.createToken("a-rather-long-prefix-for-a-token-label");
    SoftHsmTokens.TestToken b = SoftHsmTokens.createToken("a-rather-long-prefix-for-a-token-label");
    assertNotEquals(a.label(), b.label());
    assertTrue(a.label().length() <= 32, a.label());
    assertEquals(TokenSelector.label(a.label()), a.config().token());
    try (Pkcs11Token ta = Pkcs11Token.open(a.config()); Pkcs11Token tb = Pkcs11Token.open(b.config())) {
      assertTrue(ta.inventory().isEmpty());
      assertNotEquals(ta.info().serial(), tb.info().serial());
    }
  }
}
