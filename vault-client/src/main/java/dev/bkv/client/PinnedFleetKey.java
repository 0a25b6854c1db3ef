package dev.bkv.client;

import dev.bkv.ec.P256;
import dev.bkv.ec.Point;
import dev.bkv.recovery.BadInputException;
import java.util.HexFormat;
import java.util.Objects;

/** Pinned mode: the app ships the fleet's AKE public key (compressed or uncompressed SEC1). */
public record PinnedFleetKey(Point fleetKey) implements TrustAnchor {
  public PinnedFleetKey {
    Objects.requireNonNull(fleetKey, "fleetKey");
  }

  /** Parses a hex SEC1 point (33 or 65 bytes). */
  public static PinnedFleetKey ofHex(String hex) throws BadInputException {
    byte[] b;
    try {
      b = HexFormat.of().parseHex(hex.trim());
    } catch (IllegalArgumentException e) {
      throw new BadInputException("fleet key is not hex: " + e.getMessage());
    }
    return new PinnedFleetKey(P256.decodePoint(b));
  }

  @Override
  public void verify(Point serverPublicKey) throws UntrustedFleetException {
    if (!fleetKey.equals(serverPublicKey)) {
      throw new UntrustedFleetException("the server's fleet key "
          + HexFormat.of().formatHex(serverPublicKey.toCompressed()) + " is not the pinned key "
          + HexFormat.of().formatHex(fleetKey.toCompressed()), null);
    }
  }
}
