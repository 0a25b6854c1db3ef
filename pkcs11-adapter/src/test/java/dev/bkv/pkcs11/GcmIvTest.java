package dev.bkv.pkcs11;

import static org.junit.jupiter.api.Assertions.*;

import dev.bkv.pkcs11.internal.Gcm;
import dev.bkv.pkcs11.testing.SoftHsmTokens;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Where GCM IVs come from: the caller's random IV on SoftHSM2, a token without the message
 * interface that the token-made IVs need, and the choice itself. The token's own IV through
 * {@code C_EncryptMessage} runs on NSS softokn in {@link NssSoftokenTest}.
 */
class GcmIvTest {
  private static final byte[] AAD = "user|fleet|epoch".getBytes();
  private static final byte[] PT = "a 32-byte sealed backup key.....".getBytes();

  /** A random source that repeats one byte: the IV it gives is known. */
  static SecureRandom fixed(byte b) {
    return new SecureRandom() {
      @Override
      public void nextBytes(byte[] bytes) {
        Arrays.fill(bytes, b);
      }
    };
  }

  private static AesKey recordKey(Pkcs11Token t) throws HsmException {
    return t.keys().generateAes256(KeySpec.of("gcm-iv/" + UUID.randomUUID(), KeyUsage.ENCRYPT,
        KeyUsage.DECRYPT));
  }

  @Test
  void softHsm2HonoursTheCallersRandomIv() throws Exception {
    try (Pkcs11Token t = Pkcs11Token.open(SoftHsmTokens.create("gcm-iv"))) {
      AesKey k = recordKey(t);
      assertEquals(GcmIv.CALLER, k.gcmIv());
      GcmSealed s = k.sealGcm(PT, AAD, fixed((byte) 0x5a));
      byte[] iv = new byte[12];
      Arrays.fill(iv, (byte) 0x5a);
      assertArrayEquals(iv, s.iv(), "the IV is the caller's random one");
      assertArrayEquals(k.encryptGcm(iv, PT, AAD), s.ciphertextAndTag());
      assertArrayEquals(PT, k.decryptGcm(s.iv(), s.ciphertextAndTag(), AAD));
      byte[] blob = s.toBytes();
      assertArrayEquals(iv, Arrays.copyOf(blob, 12), "stored as iv || ciphertext || tag");
      assertEquals(12 + PT.length + 16, blob.length);
    }
  }

  @Test
  void anAllZeroIvIsNeverHandedToATokenThatHonoursIt() throws Exception {
    try (Pkcs11Token t = Pkcs11Token.open(SoftHsmTokens.create("gcm-zero"))) {
      AesKey k = recordKey(t);
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> k.sealGcm(PT, AAD, fixed((byte) 0)));
      assertEquals("the random source gave an all-zero GCM IV; refusing it", e.getMessage());
    }
  }

  @Test
  void aTokenWithoutTheMessageInterfaceSaysSoNamingTheMechanism() throws Exception {
    try (Pkcs11Token t = Pkcs11Token.open(SoftHsmTokens.create("gcm-nomsg"))) {
      AesKey k = recordKey(t);
      HsmException e = assertThrows(HsmException.class,
          () -> k.sealGcm(PT, AAD, new SecureRandom(), GcmIv.TOKEN_GENERATED));
      assertTrue(e.getMessage().contains("CKR_FUNCTION_NOT_SUPPORTED"), e.getMessage());
      assertTrue(e.getMessage().contains("CKM_AES_GCM"), e.getMessage());
      assertTrue(e.getMessage().contains("(IV made by the token)"), e.getMessage());
    }
  }

  @Test
  void theChoiceFollowsWhatTheTokenDid() {
    byte[] a = {1, 2, 3};
    assertEquals(Optional.of(GcmIv.CALLER), Gcm.choose(a, a.clone(), false));
    assertEquals(Optional.of(GcmIv.CALLER), Gcm.choose(a, a.clone(), true),
        "a token honouring caller IVs uses them even if it could make its own");
    assertEquals(Optional.of(GcmIv.TOKEN_GENERATED), Gcm.choose(a, new byte[] {9}, true),
        "ignores the caller's IV: the token's own");
    assertEquals(Optional.of(GcmIv.TOKEN_GENERATED), Gcm.choose(null, null, true),
        "refuses the caller's IV: the token's own");
    assertEquals(Optional.empty(), Gcm.choose(a, new byte[] {9}, false));
    assertEquals(Optional.empty(), Gcm.choose(null, null, false));
    assertTrue(Gcm.allZero(new byte[12]));
    byte[] one = new byte[12];
    one[11] = 1;
    assertFalse(Gcm.allZero(one));
  }

  @Test
  void neitherModeNamesWhatEachWayDid() {
    String m = AesKey.noIv(new Gcm.IvProbe(Optional.empty(), "ignored: two encryptions under one IV differ",
        "refused: CKR_FUNCTION_NOT_SUPPORTED"));
    assertEquals("the token neither encrypts under the caller's IV (ignored: two encryptions under "
        + "one IV differ) nor returns its own through C_EncryptMessage with CKG_GENERATE_RANDOM "
        + "(refused: CKR_FUNCTION_NOT_SUPPORTED) [mechanism CKM_AES_GCM]", m);
  }

  @Test
  void aSealedValueChecksItsSizes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new GcmSealed(new byte[11], new byte[48]));
    assertEquals("GCM IV is 11 bytes; expected 12", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new GcmSealed(new byte[12], new byte[16]));
    assertEquals("GCM output is 16 bytes; expected more than the 16-byte tag", e.getMessage());
  }
}
