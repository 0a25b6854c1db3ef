package dev.bkv.opaque;

import dev.bkv.ec.P256;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Invalid encodings derived from valid ones, for parser tests. */
public final class MessageCorruptions {
  private MessageCorruptions() {}

  /** 33-byte (and other) encodings that are not valid compressed P-256 points. */
  public static List<byte[]> invalidPoints() {
    List<byte[]> out = new ArrayList<>();
    byte[] g = P256.generator().toCompressed();
    for (int prefix : new int[] {0x00, 0x01, 0x04, 0x05, 0x06, 0x07, 0xff}) {
      byte[] b = g.clone();
      b[0] = (byte) prefix;
      out.add(b);
    }
    byte[] identityLike = new byte[33]; // prefix 0x00, x = 0
    out.add(identityLike);
    byte[] xIsP = new byte[33];
    xIsP[0] = 0x02;
    System.arraycopy(org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, P256.P), 0, xIsP,
        1, 32);
    out.add(xIsP);
    byte[] allFf = new byte[33];
    Arrays.fill(allFf, (byte) 0xff);
    allFf[0] = 0x03;
    out.add(allFf);
    out.add(notOnCurve());
    out.add(P256.generator().toUncompressed()); // right point, wrong (uncompressed) encoding
    out.add(new byte[] {0});
    out.add(new byte[0]);
    out.add(Arrays.copyOf(g, 32));
    out.add(Arrays.copyOf(g, 34));
    return out;
  }

  /** A 33-byte compressed encoding whose x has no point on the curve. */
  public static byte[] notOnCurve() {
    for (int v = 0; ; v++) {
      byte[] b = new byte[33];
      b[0] = 0x02;
      b[32] = (byte) v;
      try {
        P256.decodePoint(b);
      } catch (dev.bkv.recovery.BadInputException e) {
        return b;
      }
    }
  }

  /** Replaces the 33 bytes at {@code off} with each invalid compressed point. */
  public static List<byte[]> withBadPointAt(byte[] msg, int off) {
    List<byte[]> out = new ArrayList<>();
    for (byte[] p : invalidPoints()) {
      if (p.length == 33) {
        byte[] m = msg.clone();
        System.arraycopy(p, 0, m, off, 33);
        out.add(m);
      }
    }
    return out;
  }

  /** Wrong lengths (one short, one long, empty) of {@code msg}. */
  public static List<byte[]> wrongLengths(byte[] msg) {
    return List.of(Arrays.copyOf(msg, msg.length - 1), Arrays.copyOf(msg, msg.length + 1),
        new byte[0]);
  }

  public static List<byte[]> invalidKe1s(byte[] ke1) {
    List<byte[]> out = new ArrayList<>(wrongLengths(ke1));
    out.addAll(withBadPointAt(ke1, 0));
    out.addAll(withBadPointAt(ke1, 65));
    return out;
  }
}
