package dev.bkv.client;

import dev.bkv.ec.Point;

/**
 * What the client trusts to tell the real fleet from an impostor (DESIGN §5). The pinned mode
 * is {@link PinnedFleetKey}; bundle mode is {@link BundleTrustAnchor}.
 *
 * <p>Contract: {@link #verify} accepts a server AKE public key only if it is the key of a fleet
 * this anchor vouches for, and {@link #fleetKey} returns only such a key; neither accepts on
 * error.
 */
public interface TrustAnchor {
  /** Throws unless {@code serverPublicKey} is the trusted fleet's AKE key. */
  void verify(Point serverPublicKey) throws UntrustedFleetException;

  /**
   * The trusted fleet's AKE key, to which every fleet-channel request is addressed (DESIGN §9);
   * throws if the anchor does not vouch for it now (e.g. an expired bundle).
   */
  Point fleetKey() throws UntrustedFleetException;
}
