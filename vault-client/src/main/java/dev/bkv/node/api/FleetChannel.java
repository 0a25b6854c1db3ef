package dev.bkv.node.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What both ends of the fleet channel (vault.proto, DESIGN §9) must agree on besides the fleet
 * key: the prologue that binds a request to its method, its user id and its tenant token, so a
 * handshake message cannot be replayed to another method or for another user.
 */
public final class FleetChannel {
  private static final byte[] LABEL = "bkv/channel/v1".getBytes(StandardCharsets.US_ASCII);
  /** A tenant token longer than this is refused before anything else. */
  public static final int MAX_TOKEN_LENGTH = 4096;

  private FleetChannel() {}

  /**
   * {@code "bkv/channel/v1" ‖ u8 len ‖ method ‖ u8 len ‖ user id ‖ u16 len ‖ token}, with the
   * gRPC method's bare name ({@code RegisterStart}, …) and the token's UTF-8 bytes.
   */
  public static byte[] prologue(String method, byte[] userId, String tenantToken) {
    byte[] m = method.getBytes(StandardCharsets.US_ASCII);
    byte[] t = tenantToken.getBytes(StandardCharsets.UTF_8);
    if (m.length > 255 || userId.length > 255 || t.length > 65535) {
      throw new IllegalArgumentException("method, user id or tenant token too long for the "
          + "prologue");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(LABEL.length + 4 + m.length
        + userId.length + t.length);
    out.writeBytes(LABEL);
    out.write(m.length);
    out.writeBytes(m);
    out.write(userId.length);
    out.writeBytes(userId);
    out.write(t.length >>> 8);
    out.write(t.length & 0xff);
    out.writeBytes(t);
    return out.toByteArray();
  }
}
