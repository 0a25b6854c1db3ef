package dev.bkv.seal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.hash.Hkdf;
import dev.bkv.recovery.AuthenticationFailedException;
import dev.bkv.recovery.BadInputException;
import dev.bkv.recovery.SecretBytes;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class BackupKeySealerTest {
  private final SecureRandom rng = new SecureRandom();

  private SecretBytes random32() {
    byte[] b = new byte[32];
    rng.nextBytes(b);
    return SecretBytes.copyOf(b);
  }

  @Test
  void sealsAndOpens() throws Exception {
    SecretBytes export = random32();
    SecretBytes backup = random32();
    SealedBackupKey sealed = BackupKeySealer.seal(export, backup, rng);
    assertEquals(SealedBackupKey.LENGTH, sealed.toBytes().length);
    assertEquals(1, sealed.toBytes()[0]);
    SealedBackupKey parsed = SealedBackupKey.parse(sealed.toBytes());
    assertTrue(backup.equalsConstantTime(BackupKeySealer.open(export, parsed)));
    // Fresh nonce each time.
    assertFalse(Arrays.equals(sealed.toBytes(), BackupKeySealer.seal(export, backup, rng)
        .toBytes()));
  }

  @Test
  void matchesTheSpecifiedConstruction() throws Exception {
    byte[] export = new byte[32];
    rng.nextBytes(export);
    SecretBytes backup = random32();
    byte[] sealed = BackupKeySealer.seal(SecretBytes.copyOf(export), backup, rng).toBytes();
    // Independent re-derivation: HKDF-SHA256(salt = "", ikm = export_key, info, 32).
    byte[] key = Hkdf.expand(Hkdf.hmac(new byte[32], export), "bkv sealed backup key".getBytes(),
        32);
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
        new GCMParameterSpec(128, Arrays.copyOfRange(sealed, 1, 13)));
    c.updateAAD(new byte[] {1});
    byte[] plain = c.doFinal(Arrays.copyOfRange(sealed, 13, sealed.length));
    assertTrue(backup.equalsConstantTime(SecretBytes.copyOf(plain)));
  }

  @Test
  void everyTamperedByteAndWrongKeyFailsAuthentication() throws Exception {
    SecretBytes export = random32();
    byte[] sealed = BackupKeySealer.seal(export, random32(), rng).toBytes();
    for (int i = 1; i < sealed.length; i++) {
      byte[] t = sealed.clone();
      t[i] ^= 0x80;
      SealedBackupKey bad = SealedBackupKey.parse(t);
      assertThrows(AuthenticationFailedException.class, () -> BackupKeySealer.open(export, bad),
          "byte " + i);
    }
    SealedBackupKey ok = SealedBackupKey.parse(sealed);
    assertThrows(AuthenticationFailedException.class,
        () -> BackupKeySealer.open(random32(), ok));
  }

  @Test
  void parserRejectsWrongLengthAndVersion() throws Exception {
    byte[] sealed = BackupKeySealer.seal(random32(), random32(), rng).toBytes();
    assertThrows(BadInputException.class,
        () -> SealedBackupKey.parse(Arrays.copyOf(sealed, 60)));
    assertThrows(BadInputException.class,
        () -> SealedBackupKey.parse(Arrays.copyOf(sealed, 62)));
    byte[] v2 = sealed.clone();
    v2[0] = 2;
    BadInputException e = assertThrows(BadInputException.class, () -> SealedBackupKey.parse(v2));
    assertEquals("sealed backup key version 0x02; expected 0x01", e.getMessage());
    assertThrows(BadInputException.class,
        () -> BackupKeySealer.seal(random32(), SecretBytes.copyOf(new byte[16]), rng));
  }
}
