package dev.bkv.transparency.internal;

import dev.bkv.crypto.Sha256;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Key IDs of the C2SP signed-note signature types bkv implements. */
public final class KeyIds {

  private KeyIds() {}

  /** Ed25519 (type 0x01): SHA-256(name || 0x0A || 0x01 || 32-byte key)[:4], big-endian. */
  public static int ed25519(String name, byte[] publicKey) {
    return named(name, (byte) 0x01, publicKey);
  }

  /**
   * Ed25519 cosignature/v1 (type 0x04, C2SP tlog-cosignature):
   * SHA-256(name || 0x0A || 0x04 || 32-byte key)[:4], big-endian.
   */
  public static int cosignatureV1(String name, byte[] publicKey) {
    return named(name, (byte) 0x04, publicKey);
  }

  private static int named(String name, byte type, byte[] publicKey) {
    MessageDigest md = Sha256.newDigest();
    md.update(name.getBytes(StandardCharsets.UTF_8));
    md.update((byte) 0x0A);
    md.update(type);
    md.update(publicKey);
    return ByteBuffer.wrap(md.digest()).getInt();
  }

  /** ECDSA (type 0x02): SHA-256(DER SubjectPublicKeyInfo)[:4]; the name is not hashed. */
  public static int ecdsa(byte[] spki) {
    return ByteBuffer.wrap(Sha256.hash(spki)).getInt();
  }
}
