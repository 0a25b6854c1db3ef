package dev.bkv.node.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.node.api.ChannelError;
import dev.bkv.node.store.UserId;
import dev.bkv.opaque.HsmServerKeys;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.testing.SoftHsmTokens;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The record key on a real SoftHSM2 token, with dev fleet keys imported by DevFleetKeys. */
class HsmRecordKeyTest {
  static final SecureRandom RNG = new SecureRandom();
  static Pkcs11Token token;
  static DevFleetKeys.Secrets secrets;
  static RecordKey key;

  @BeforeAll
  static void open() throws Exception {
    token = Pkcs11Token.open(SoftHsmTokens.create("record-key"));
    secrets = DevFleetKeys.Secrets.generate(RNG);
    assertFalse(DevFleetKeys.present(token, "f1"));
    DevFleetKeys.importInto(token, "f1", secrets);
    assertTrue(DevFleetKeys.present(token, "f1"));
    key = new HsmRecordKey(token.keys().findAes("fleet/f1/record"), "f1", RNG);
  }

  @AfterAll
  static void close() {
    token.close();
  }

  private static final UserId ALICE = new UserId("alice".getBytes());

  @Test
  void theImportedFleetKeysServeLogins() throws Exception {
    HsmServerKeys keys = HsmServerKeys.open(token, "f1");
    assertEquals(secrets.akePublicKey(), keys.serverPublicKey());
  }

  @Test
  void wrapsAndOpensForTheSameUserAndEpochOnly() throws Exception {
    byte[] sealed = new byte[61];
    RNG.nextBytes(sealed);
    byte[] blob = key.wrap(ALICE, 1, sealed);
    assertEquals(12 + 61 + 16, blob.length);
    assertArrayEquals(sealed, key.open(ALICE, 1, blob));
    assertFalse(Arrays.equals(blob, key.wrap(ALICE, 1, sealed)), "fresh IV per wrap");
    ServiceException otherUser = assertThrows(ServiceException.class,
        () -> key.open(new UserId("mallory".getBytes()), 1, blob));
    assertEquals(ChannelError.Reason.FAULT, otherUser.reason());
    assertTrue(otherUser.getMessage().contains("does not authenticate"), otherUser.getMessage());
    assertThrows(ServiceException.class, () -> key.open(ALICE, 2, blob));
    RecordKey otherFleet = new HsmRecordKey(token.keys().findAes("fleet/f1/record"), "f2", RNG);
    assertThrows(ServiceException.class, () -> otherFleet.open(ALICE, 1, blob));
    byte[] tampered = blob.clone();
    tampered[20] ^= 1;
    assertThrows(ServiceException.class, () -> key.open(ALICE, 1, tampered));
    assertThrows(ServiceException.class, () -> key.open(ALICE, 1, new byte[28]));
  }
}
