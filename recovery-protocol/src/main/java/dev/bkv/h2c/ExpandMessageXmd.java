package dev.bkv.h2c;

import dev.bkv.crypto.Sha256;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** RFC 9380 §5.3.1 {@code expand_message_xmd} with SHA-256 (b = 32, s = 64 bytes). */
public final class ExpandMessageXmd {
  private static final int B_IN_BYTES = 32;
  private static final int S_IN_BYTES = 64;
  private static final byte[] OVERSIZE = "H2C-OVERSIZE-DST-".getBytes(StandardCharsets.US_ASCII);

  private ExpandMessageXmd() {}

  /**
   * Expands {@code msg} to {@code lenInBytes} uniform bytes under domain separation tag
   * {@code dst}. DSTs longer than 255 bytes are first hashed (RFC 9380 §5.3.3).
   *
   * @throws IllegalArgumentException if {@code lenInBytes} exceeds 255·32 or 65535, or the DST
   *     is empty
   */
  public static byte[] expand(byte[] msg, byte[] dst, int lenInBytes) {
    if (dst.length == 0) {
      throw new IllegalArgumentException("DST is empty; RFC 9380 requires a non-empty tag");
    }
    MessageDigest h = Sha256.newDigest();
    if (dst.length > 255) {
      h.update(OVERSIZE);
      dst = h.digest(dst);
    }
    int ell = (lenInBytes + B_IN_BYTES - 1) / B_IN_BYTES;
    if (ell > 255 || lenInBytes > 65535 || lenInBytes < 0) {
      throw new IllegalArgumentException(
          "len_in_bytes " + lenInBytes + " is too large; expected at most " + 255 * B_IN_BYTES);
    }
    byte[] dstPrime = new byte[dst.length + 1];
    System.arraycopy(dst, 0, dstPrime, 0, dst.length);
    dstPrime[dst.length] = (byte) dst.length;

    h.update(new byte[S_IN_BYTES]);
    h.update(msg);
    h.update(new byte[] {(byte) (lenInBytes >>> 8), (byte) lenInBytes, 0});
    h.update(dstPrime);
    byte[] b0 = h.digest();

    ByteArrayOutputStream out = new ByteArrayOutputStream(ell * B_IN_BYTES);
    byte[] prev = new byte[B_IN_BYTES];
    for (int i = 1; i <= ell; i++) {
      byte[] in = new byte[B_IN_BYTES];
      for (int j = 0; j < B_IN_BYTES; j++) {
        in[j] = (byte) (b0[j] ^ prev[j]); // for i = 1, prev is zero so this is b0
      }
      h.update(in);
      h.update((byte) i);
      h.update(dstPrime);
      prev = h.digest();
      out.write(prev, 0, B_IN_BYTES);
    }
    byte[] all = out.toByteArray();
    byte[] result = new byte[lenInBytes];
    System.arraycopy(all, 0, result, 0, lenInBytes);
    return result;
  }

}
