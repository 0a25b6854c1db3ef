package dev.bkv.channel;

import dev.bkv.channel.internal.SymmetricState;
import dev.bkv.ec.P256;
import dev.bkv.ec.Point;
import dev.bkv.ec.Scalar;
import dev.bkv.recovery.AuthenticationFailedException;
import dev.bkv.recovery.BadInputException;
import dev.bkv.recovery.InternalFaultException;
import dev.bkv.recovery.RecoveryException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;

/**
 * The member's side of one fleet-channel exchange: {@link #accept} reads {@code -> e, es}
 * (the {@code es} DH done by the static key's holder, i.e. the HSM) and yields the request
 * payload; {@link #respond} writes {@code <- e, ee} with the response payload. Single use.
 */
public final class ChannelResponder {
  /** x-only ECDH with the responder's static private key: {@code x(s·peer)}, 32 bytes. */
  @FunctionalInterface
  public interface StaticDh {
    byte[] x(Point peer) throws RecoveryException;
  }

  private final SymmetricState state;
  private final Point initiatorEphemeral;
  private final byte[] payload;
  private boolean responded;

  private ChannelResponder(SymmetricState state, Point initiatorEphemeral, byte[] payload) {
    this.state = state;
    this.initiatorEphemeral = initiatorEphemeral;
    this.payload = payload;
  }

  /**
   * Reads a request. The ephemeral key is validated before it reaches {@code staticKey}.
   *
   * @param staticKey x-only ECDH with the responder's static private key
   * @param staticPublic that key's public point (what the initiator pinned)
   * @throws BadInputException too short, or the ephemeral key is not a P-256 point
   * @throws AuthenticationFailedException the payload does not decrypt: the initiator used
   *     another static key or another prologue, or the message was altered
   * @throws RecoveryException the key holder failed (an {@link InternalFaultException})
   */
  public static ChannelResponder accept(StaticDh staticKey, Point staticPublic,
      byte[] prologue, byte[] message) throws BadInputException, AuthenticationFailedException,
      RecoveryException {
    if (message == null || message.length < ChannelInitiator.OVERHEAD) {
      throw new BadInputException("channel message is " + (message == null ? 0
          : message.length) + " bytes; expected at least " + ChannelInitiator.OVERHEAD);
    }
    byte[] ePub = Arrays.copyOf(message, Point.COMPRESSED_LENGTH);
    Point e = P256.decodePoint(ePub);
    SymmetricState s = new SymmetricState();
    s.mixHash(prologue);
    s.mixHash(staticPublic.toCompressed());
    s.mixHash(ePub);
    byte[] es = staticKey.x(e);
    if (es == null || es.length != 32) {
      throw new InternalFaultException("static ECDH returned " + (es == null ? "null"
          : es.length + " bytes") + "; expected 32");
    }
    s.mixKey(es);
    try {
      byte[] pt = s.decryptAndHash(Arrays.copyOfRange(message, Point.COMPRESSED_LENGTH,
          message.length));
      return new ChannelResponder(s, e, pt);
    } catch (AEADBadTagException ex) {
      s.destroy();
      throw new AuthenticationFailedException("the channel message did not decrypt: sent to "
          + "another fleet key, with another prologue, or altered");
    }
  }

  /** The request payload. */
  public byte[] payload() {
    return payload.clone();
  }

  /** Writes the response message {@code e (33) ‖ AEAD(payload)}. */
  public byte[] respond(byte[] responsePayload, SecureRandom rng) {
    if (responded) {
      throw new IllegalStateException("this exchange has already been answered");
    }
    responded = true;
    try {
      Scalar e = Scalar.random(rng);
      byte[] ePub = P256.multiplyGenerator(e).toCompressed();
      state.mixHash(ePub);
      state.mixKey(initiatorEphemeral.multiply(e).x());
      return SymmetricState.message(ePub, state.encryptAndHash(responsePayload));
    } finally {
      state.destroy();
    }
  }

  /** The handshake hash so far (after {@link #respond}: equal to the initiator's). */
  public byte[] handshakeHash() {
    return state.handshakeHash();
  }
}
