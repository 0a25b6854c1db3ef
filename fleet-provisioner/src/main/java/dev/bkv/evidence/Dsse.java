package dev.bkv.evidence;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * DSSE v1 pre-authentication encoding: signatures cover
 * {@code "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body}, where LEN is the byte length in
 * ASCII decimal without leading zeros and type is UTF-8.
 */
public final class Dsse {
  /** The payload type of bkv deployment evidence. */
  public static final String PAYLOAD_TYPE = "application/vnd.bkv.deployment-evidence+json";

  private Dsse() {}

  /** {@code PAE(type, body)}. */
  public static byte[] pae(String payloadType, byte[] body) {
    Objects.requireNonNull(payloadType, "payloadType");
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    byte[] head = ("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII);
    byte[] mid = (" " + body.length + " ").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[head.length + type.length + mid.length + body.length];
    int at = 0;
    for (byte[] part : new byte[][] {head, type, mid, body}) {
      System.arraycopy(part, 0, out, at, part.length);
      at += part.length;
    }
    return out;
  }
}
