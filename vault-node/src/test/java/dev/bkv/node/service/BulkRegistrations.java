package dev.bkv.node.service;

import dev.bkv.ec.P256;
import dev.bkv.ec.Point;
import dev.bkv.ec.Scalar;
import dev.bkv.hash.Hkdf;
import dev.bkv.evidence.ShareLayout;
import dev.bkv.node.store.Command;
import dev.bkv.node.store.KeyShares;
import dev.bkv.node.store.UserId;
import dev.bkv.opaque.CipherSuite;
import dev.bkv.opaque.ClientRegistration;
import dev.bkv.opaque.Identities;
import dev.bkv.opaque.RegistrationResponse;
import dev.bkv.recovery.SecretBytes;
import dev.bkv.seal.BackupKeySealer;
import dev.bkv.seal.ResetKey;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A registration computed in software for the scale benchmark's bulk load: the record a {@code
 * Register} through a development fleet would carry, without the fleet. <b>It works only with
 * development fleet keys</b> ({@link DevFleetKeys}), whose secrets are known: the key shares
 * are generated here and wrapped (AES-KWP, RFC 5649) under the group wrap keys {@link
 * DevFleetKeys#importShareKeys} derives, and the sealed key is wrapped (AES-256-GCM) under the
 * record key as {@link HsmRecordKey} does. A fleet from the ceremony has neither key outside
 * its HSMs, and nothing here can fill one. The client half is the bkv client's: OPAQUE
 * registration (identity KSF, as the benchmark's clients), sealed backup key, reset key.
 */
final class BulkRegistrations {
  /**
   * PKCS#8 PrivateKeyInfo of a P-256 key in the 67-byte form SoftHSM2 wraps (no public key in
   * it: a share wrapped by SoftHSM2 is 80 bytes, and so is this one): prefix, then the scalar.
   */
  private static final byte[] PKCS8_HEAD = HexFormat.of().parseHex(
      "3041020100301306072a8648ce3d020106082a8648ce3d030107042730250201010420");

  /** One user's {@code Register} and the key shares of the {@code Begin} it completes. */
  record Registered(Command.Register register, KeyShares shares) {}

  private static final byte[] RESET_INFO = "bkv reset key v1".getBytes(StandardCharsets.US_ASCII);
  private static final BigInteger P256_ORDER = new BigInteger(
      "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16);
  private final java.util.concurrent.atomic.AtomicLong checked = new java.util.concurrent.atomic.AtomicLong();
  private final CipherSuite suite = VaultFleet.suite();
  private final Map<String, SecretKeySpec> wrapKeys = new LinkedHashMap<>();
  private final SecretKeySpec recordKey;
  private final Point serverKey;
  private final byte[] fleetId;
  private final long epoch;
  private final int limit;

  BulkRegistrations(DevFleetKeys.Secrets secrets, ShareLayout layout, long epoch, int limit)
      throws GeneralSecurityException {
    for (ShareLayout.ShareSet set : layout.sets()) {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secrets.part(2), "HmacSHA256"));
      wrapKeys.put(set.name(), new SecretKeySpec(mac.doFinal(
          ("bkv development share wrap key\n" + set.name()).getBytes(StandardCharsets.UTF_8)),
          "AES"));
    }
    this.recordKey = new SecretKeySpec(secrets.part(3), "AES");
    this.serverKey = secrets.akePublicKey();
    this.fleetId = layout.fleetId().getBytes(StandardCharsets.UTF_8);
    this.epoch = epoch;
    this.limit = limit;
  }

  /** {@code user}'s registration of {@code backupKey} under {@code password}. */
  Registered register(UserId user, byte[] password, SecretBytes backupKey, long beginIndex,
      long timeMillis, SecureRandom rng) throws Exception {
    List<KeyShares.Share> shares = new ArrayList<>();
    BigInteger k = BigInteger.ZERO;
    for (Map.Entry<String, SecretKeySpec> set : wrapKeys.entrySet()) {
      Scalar r = Scalar.random(rng);
      byte[] point = P256.multiplyGenerator(r).toUncompressed();
      Cipher kwp = Cipher.getInstance("AES/KWP/NoPadding");
      kwp.init(Cipher.ENCRYPT_MODE, set.getValue());
      shares.add(new KeyShares.Share(set.getKey(), point, kwp.doFinal(pkcs8(r))));
      k = k.add(r.toBigInteger());
    }
    Scalar key = Scalar.reduce(k);
    ClientRegistration reg = ClientRegistration.start(suite, password, rng);
    Point evaluated = reg.request().blindedElement().multiply(key);
    ClientRegistration.Result res = reg.finish(new RegistrationResponse(evaluated, serverKey),
        Identities.NONE, rng);
    byte[] sealed;
    byte[] resetKey;
    try {
      sealed = BackupKeySealer.seal(res.exportKey(), backupKey, rng).toBytes();
      resetKey = resetPublicKey(res.exportKey());
      if (checked.getAndIncrement() % 1000 == 0
          && !Arrays.equals(resetKey, ResetKey.fromExportKey(res.exportKey()).publicKey())) {
        throw new IllegalStateException("the reset key derived here is not ResetKey's");
      }
    } finally {
      res.exportKey().destroy();
    }
    byte[] salt = new byte[StoredRecord.SALT_LENGTH];
    rng.nextBytes(salt);
    byte[] registrationId = new byte[16];
    rng.nextBytes(registrationId);
    return new Registered(new Command.Register(user, timeMillis, epoch, limit,
        new StoredRecord(salt, res.record()).toBytes(), seal(user, sealed, rng), registrationId,
        beginIndex, resetKey), new KeyShares(shares));
  }

  /**
   * {@link ResetKey#fromExportKey}'s public key, with the fixed-base multiplication of {@link
   * P256} (several times faster here); every thousandth is checked against {@link ResetKey}.
   */
  private static byte[] resetPublicKey(SecretBytes exportKey) {
    byte[] ikm = exportKey.copy();
    byte[] okm = Hkdf.expand(Hkdf.extract(new byte[0], ikm), RESET_INFO, 48);
    BigInteger d = new BigInteger(1, okm).mod(P256_ORDER.subtract(BigInteger.ONE))
        .add(BigInteger.ONE);
    Arrays.fill(ikm, (byte) 0);
    Arrays.fill(okm, (byte) 0);
    return P256.multiplyGenerator(Scalar.reduce(d)).toUncompressed();
  }

  private static byte[] pkcs8(Scalar r) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(67);
    out.writeBytes(PKCS8_HEAD);
    out.writeBytes(r.encode());
    return out.toByteArray();
  }

  /** {@link HsmRecordKey#wrap} in software: iv ‖ AES-256-GCM(sealed key), same AAD. */
  private byte[] seal(UserId user, byte[] sealedKey, SecureRandom rng)
      throws GeneralSecurityException {
    byte[] iv = new byte[12];
    rng.nextBytes(iv);
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    gcm.init(Cipher.ENCRYPT_MODE, recordKey, new GCMParameterSpec(128, iv));
    ByteArrayOutputStream aad = new ByteArrayOutputStream();
    aad.write(user.bytes().length);
    aad.writeBytes(user.bytes());
    aad.write(fleetId.length);
    aad.writeBytes(fleetId);
    aad.writeBytes(ByteBuffer.allocate(8).putLong(epoch).array());
    gcm.updateAAD(aad.toByteArray());
    byte[] ct = gcm.doFinal(sealedKey);
    return ByteBuffer.allocate(iv.length + ct.length).put(iv).put(ct).array();
  }
}
