package dev.bkv.node.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Names a registration staged on the next fleet during a migration (DESIGN §11): SHA-256 over a
 * domain string and the length-prefixed user id, RFC 9807 registration record, registration id
 * and reset key, all of which the client chose. The earlier fleet's closed record names it, so
 * only this exact registration can take the record's place.
 */
public final class MigrationDigest {
  public static final int LENGTH = 32;
  private static final byte[] DOMAIN = "bkv migration successor v1".getBytes(
      StandardCharsets.US_ASCII);

  private MigrationDigest() {}

  public static byte[] of(byte[] user, byte[] registrationRecord, byte[] registrationId,
      byte[] resetKey) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      for (byte[] part : new byte[][] {DOMAIN, user, registrationRecord, registrationId,
          resetKey}) {
        d.update(ByteBuffer.allocate(4).putInt(part.length).array());
        d.update(part);
      }
      return d.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
