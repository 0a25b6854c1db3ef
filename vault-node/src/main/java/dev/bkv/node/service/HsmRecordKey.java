package dev.bkv.node.service;

import dev.bkv.node.api.ChannelError.Reason;
import dev.bkv.node.store.UserId;
import dev.bkv.pkcs11.AesKey;
import dev.bkv.pkcs11.HsmAuthenticationException;
import dev.bkv.pkcs11.HsmException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * {@link RecordKey} on the token's AES-256 key {@code fleet/<id>/record}: AES-256-GCM in the HSM,
 * blob = {@code iv (12) ‖ ciphertext ‖ tag (16)}, associated data = {@code u8 len ‖ user id ‖
 * u8 len ‖ fleet id ‖ u64 epoch}. IVs are random (2^-32 collision bound is far beyond the number
 * of records a fleet seals per key).
 */
public final class HsmRecordKey implements RecordKey {
  private final AesKey key;
  private final byte[] fleetId;
  private final SecureRandom rng;

  public HsmRecordKey(AesKey key, String fleetId, SecureRandom rng) {
    this.key = Objects.requireNonNull(key, "key");
    this.fleetId = fleetId.getBytes(StandardCharsets.UTF_8);
    this.rng = Objects.requireNonNull(rng, "rng");
    if (this.fleetId.length == 0 || this.fleetId.length > 255) {
      throw new IllegalArgumentException("fleet id is " + this.fleetId.length
          + " bytes; expected 1..255");
    }
  }

  @Override
  public byte[] wrap(UserId user, long epoch, byte[] sealedKey) throws ServiceException {
    try {
      // A random IV where the token takes the caller's, the token's own where it makes them;
      // either way stored in front of the ciphertext.
      return key.sealGcm(sealedKey, aad(user, epoch), rng).toBytes();
    } catch (HsmException e) {
      throw new ServiceException(Reason.FAULT, "sealing the record of " + user + " failed: "
          + e.getMessage(), e);
    }
  }

  @Override
  public byte[] open(UserId user, long epoch, byte[] blob) throws ServiceException {
    if (blob.length <= AesKey.IV_BYTES + AesKey.TAG_BYTES) {
      throw new ServiceException(Reason.FAULT, "stored blob of " + user + " is " + blob.length
          + " bytes; too short");
    }
    byte[] iv = Arrays.copyOfRange(blob, 0, AesKey.IV_BYTES);
    byte[] ct = Arrays.copyOfRange(blob, AesKey.IV_BYTES, blob.length);
    try {
      return key.decryptGcm(iv, ct, aad(user, epoch));
    } catch (HsmAuthenticationException e) {
      throw new ServiceException(Reason.FAULT, "stored blob of " + user
          + " does not authenticate under the record key (tampered, or another fleet/epoch)", e);
    } catch (HsmException e) {
      throw new ServiceException(Reason.FAULT, "opening the record of " + user + " failed: "
          + e.getMessage(), e);
    }
  }

  private byte[] aad(UserId user, long epoch) {
    byte[] id = user.bytes();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(id.length);
    out.writeBytes(id);
    out.write(fleetId.length);
    out.writeBytes(fleetId);
    out.writeBytes(ByteBuffer.allocate(8).putLong(epoch).array());
    return out.toByteArray();
  }
}
