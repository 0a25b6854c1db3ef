package dev.bkv.seal;

import dev.bkv.hash.Hkdf;
import dev.bkv.recovery.AuthenticationFailedException;
import dev.bkv.recovery.BadInputException;
import dev.bkv.recovery.InternalFaultException;
import dev.bkv.recovery.SecretBytes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals the user's backup key under the OPAQUE {@code export_key}, on the client:
 * {@code sealedKey = AES-256-GCM(HKDF-SHA256(export_key, info = "bkv sealed backup key"),
 * backupKey)} with a random 12-byte nonce (format: {@link SealedBackupKey}). HKDF uses an
 * empty salt: Extract("", export_key), then Expand(prk, info, 32). Only a client that
 * completed a login with the right password has the export key, so only it can open.
 */
public final class BackupKeySealer {
  private static final byte[] INFO = "bkv sealed backup key".getBytes(StandardCharsets.US_ASCII);

  private BackupKeySealer() {}

  public static SealedBackupKey seal(SecretBytes exportKey, SecretBytes backupKey,
      SecureRandom rng) throws BadInputException, InternalFaultException {
    if (backupKey.length() != SealedBackupKey.BACKUP_KEY_LENGTH) {
      throw new BadInputException("backup key is " + backupKey.length() + " bytes; expected 32");
    }
    byte[] nonce = new byte[SealedBackupKey.NONCE_LENGTH];
    rng.nextBytes(nonce);
    byte[] plain = backupKey.copy();
    try {
      byte[] ct = cipher(Cipher.ENCRYPT_MODE, exportKey, nonce).doFinal(plain);
      return new SealedBackupKey(ByteBuffer.allocate(1 + nonce.length + ct.length)
          .put(SealedBackupKey.VERSION_1).put(nonce).put(ct).array());
    } catch (GeneralSecurityException e) {
      throw new InternalFaultException("AES-256-GCM sealing failed", e);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  /** Opens a sealed key; a wrong export key or any modified byte is an authentication failure. */
  public static SecretBytes open(SecretBytes exportKey, SealedBackupKey sealed)
      throws AuthenticationFailedException, InternalFaultException {
    byte[] b = sealed.bytes();
    byte[] nonce = Arrays.copyOfRange(b, 1, 1 + SealedBackupKey.NONCE_LENGTH);
    byte[] ct = Arrays.copyOfRange(b, 1 + SealedBackupKey.NONCE_LENGTH, b.length);
    try {
      byte[] plain = cipher(Cipher.DECRYPT_MODE, exportKey, nonce).doFinal(ct);
      SecretBytes out = SecretBytes.copyOf(plain);
      Arrays.fill(plain, (byte) 0);
      return out;
    } catch (AEADBadTagException e) {
      throw new AuthenticationFailedException(
          "sealed backup key did not authenticate (wrong export key or tampered)");
    } catch (GeneralSecurityException e) {
      throw new InternalFaultException("AES-256-GCM opening failed", e);
    }
  }

  private static Cipher cipher(int mode, SecretBytes exportKey, byte[] nonce)
      throws GeneralSecurityException {
    byte[] ek = exportKey.copy();
    byte[] key = Hkdf.expand(Hkdf.extract(new byte[0], ek), INFO, 32);
    Arrays.fill(ek, (byte) 0);
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(mode, new SecretKeySpec(key, "AES"),
        new GCMParameterSpec(SealedBackupKey.TAG_LENGTH * 8, nonce));
    Arrays.fill(key, (byte) 0);
    c.updateAAD(new byte[] {SealedBackupKey.VERSION_1});
    return c;
  }
}
