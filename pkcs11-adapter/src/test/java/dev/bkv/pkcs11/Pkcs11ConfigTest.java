package dev.bkv.pkcs11;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Pkcs11ConfigTest {
  @TempDir
  Path dir;

  private Path write(String text) throws IOException {
    Path f = dir.resolve("bkv.properties");
    Files.writeString(f, text);
    return f;
  }

  @Test
  void readsPkcs11KeysAndIgnoresOtherPrefixes() throws Exception {
    Path pin = dir.resolve("so.pin");
    Files.writeString(pin, "s3cret-so\n");
    Pkcs11Config c = Pkcs11Config.load(write("""
        pkcs11.module = /usr/lib/softhsm/libsofthsm2.so
        pkcs11.token-label = member-1
        pkcs11.user-pin = env:BKV_TEST_PIN
        pkcs11.so-pin = file:%s
        node.id = 3
        node.peers = a,b,c
        """.formatted(pin)));
    assertEquals(Path.of("/usr/lib/softhsm/libsofthsm2.so"), c.module());
    assertEquals(TokenSelector.label("member-1"), c.token());
    assertEquals("env:BKV_TEST_PIN", c.userPin().toString());
    assertArrayEquals("s3cret-so".toCharArray(), c.soPin().orElseThrow().read("pkcs11.so-pin"));
  }

  @Test
  void initArgsAreReadKeptAndWrittenBack() throws Exception {
    Pkcs11Config c = Pkcs11Config.load(write("""
        pkcs11.module = /usr/lib/x86_64-linux-gnu/libsoftokn3.so
        pkcs11.token-label = bkv-member-1
        pkcs11.user-pin = env:X
        pkcs11.init-args = configdir='sql:/var/lib/bkv/nss' certPrefix='' keyPrefix='' secmod='' flags=optimizeSpace
        """));
    String args = "configdir='sql:/var/lib/bkv/nss' certPrefix='' keyPrefix='' secmod='' flags=optimizeSpace";
    assertEquals(args, c.initArgs().orElseThrow());
    assertEquals(args, c.toProperties().getProperty("pkcs11.init-args"));
    assertEquals(args, c.withSoPin(PinSource.parse("pkcs11.so-pin", "env:Y")).initArgs().orElseThrow());
    assertTrue(c.toString().contains("init-args=configdir="), c.toString());
    assertTrue(Pkcs11Config.load(write("""
        pkcs11.module = /m.so
        pkcs11.token-label = t
        pkcs11.user-pin = env:X
        """)).initArgs().isEmpty());
  }

  @Test
  void selectsBySerial() throws Exception {
    Pkcs11Config c = Pkcs11Config.load(write("""
        pkcs11.module = /m.so
        pkcs11.token-serial = 4f2a9c1b00aa
        pkcs11.user-pin = env:X
        """));
    assertEquals(TokenSelector.serial("4f2a9c1b00aa"), c.token());
    assertTrue(c.soPin().isEmpty());
  }

  @Test
  void rejectsUnknownPkcs11KeyByName() throws Exception {
    Path f = write("pkcs11.module=/m.so\npkcs11.token-label=a\npkcs11.user-pin=env:X\npkcs11.tokenlabel=b\n");
    HsmConfigException e = assertThrows(HsmConfigException.class, () -> Pkcs11Config.load(f));
    assertTrue(e.getMessage().contains("pkcs11.tokenlabel"), e.getMessage());
  }

  @Test
  void rejectsLiteralPinWithoutEchoingIt() throws Exception {
    Path f = write("pkcs11.module=/m.so\npkcs11.token-label=a\npkcs11.user-pin=123456\n");
    HsmConfigException e = assertThrows(HsmConfigException.class, () -> Pkcs11Config.load(f));
    assertTrue(e.getMessage().contains("env:NAME or file:PATH"), e.getMessage());
    assertFalse(e.getMessage().contains("123456"), e.getMessage());
  }

  @Test
  void requiresExactlyOneTokenSelector() throws Exception {
    Path both = write("pkcs11.module=/m.so\npkcs11.token-label=a\npkcs11.token-serial=1\npkcs11.user-pin=env:X\n");
    assertThrows(HsmConfigException.class, () -> Pkcs11Config.load(both));
    Path none = write("pkcs11.module=/m.so\npkcs11.user-pin=env:X\n");
    HsmConfigException e = assertThrows(HsmConfigException.class, () -> Pkcs11Config.load(none));
    assertTrue(e.getMessage().contains("pkcs11.token-label"), e.getMessage());
  }

  @Test
  void missingModuleKeyIsNamed() throws Exception {
    Path f = write("pkcs11.token-label=a\npkcs11.user-pin=env:X\n");
    HsmConfigException e = assertThrows(HsmConfigException.class, () -> Pkcs11Config.load(f));
    assertTrue(e.getMessage().contains("missing required key pkcs11.module"), e.getMessage());
  }

  @Test
  void toStringNeverShowsPins() {
    Pkcs11Config c = Pkcs11Config.of(Path.of("/m.so"), TokenSelector.label("a"),
        PinSource.of("987654".toCharArray())).withSoPin(PinSource.of("111222".toCharArray()));
    assertFalse(c.toString().contains("987654"));
    assertFalse(c.toString().contains("111222"));
    assertTrue(c.toString().contains("<supplied>"));
  }

  @Test
  void unsetEnvironmentVariableIsNamed() {
    PinSource p = PinSource.env("BKV_SURELY_UNSET_PIN_VARIABLE");
    HsmConfigException e = assertThrows(HsmConfigException.class, () -> p.read("pkcs11.user-pin"));
    assertTrue(e.getMessage().contains("BKV_SURELY_UNSET_PIN_VARIABLE"), e.getMessage());
  }

  @Test
  void environmentPinIsRead() throws Exception {
    PinSource p = new PinSource.Env("PIN", java.util.Map.of("PIN", "4321"));
    assertArrayEquals("4321".toCharArray(), p.read("pkcs11.user-pin"));
  }

  @Test
  void missingPinFileIsNamed() {
    PinSource p = PinSource.file(dir.resolve("nope.pin"));
    HsmConfigException e = assertThrows(HsmConfigException.class, () -> p.read("pkcs11.user-pin"));
    assertTrue(e.getMessage().contains("nope.pin"), e.getMessage());
  }

  @Test
  void roundTripsThroughProperties() throws Exception {
    Pkcs11Config c = Pkcs11Config.of(Path.of("/m.so"), TokenSelector.label("a"), PinSource.env("P"))
        .withSoPin(PinSource.file(Path.of("/so.pin")));
    Properties p = c.toProperties();
    Pkcs11Config back = Pkcs11Config.fromProperties(p, "test");
    assertEquals(c.toString(), back.toString());
  }
}
