package dev.bkv.channel;

import dev.bkv.channel.internal.SymmetricState;
import dev.bkv.ec.P256;
import dev.bkv.ec.Point;
import dev.bkv.ec.Scalar;
import dev.bkv.recovery.AuthenticationFailedException;
import dev.bkv.recovery.BadInputException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;

/**
 * The client's side of one fleet-channel exchange: {@link #start} writes {@code -> e, es} with
 * the request as payload; {@link #finish} reads {@code <- e, ee} and returns the response
 * payload. A response that does not authenticate (not written by a holder of the responder's
 * static private key, for this very request) is refused. Single use.
 */
public final class ChannelInitiator {
  /** Bytes a message adds to its payload: a compressed ephemeral key and the AEAD tag. */
  public static final int OVERHEAD = Point.COMPRESSED_LENGTH + SymmetricState.TAG_LENGTH;

  private final SymmetricState state;
  private final Scalar ephemeral;
  private final byte[] message;
  private boolean finished;

  private ChannelInitiator(SymmetricState state, Scalar ephemeral, byte[] message) {
    this.state = state;
    this.ephemeral = ephemeral;
    this.message = message;
  }

  /**
   * Starts an exchange with the holder of {@code responderStatic}. {@code prologue} is bound
   * into the handshake (both sides must use the same bytes) but not sent.
   */
  public static ChannelInitiator start(Point responderStatic, byte[] prologue, byte[] payload,
      SecureRandom rng) {
    Objects.requireNonNull(responderStatic, "responderStatic");
    SymmetricState s = new SymmetricState();
    s.mixHash(prologue);
    s.mixHash(responderStatic.toCompressed());
    Scalar e = Scalar.random(rng);
    byte[] ePub = P256.multiplyGenerator(e).toCompressed();
    s.mixHash(ePub);
    s.mixKey(responderStatic.multiply(e).x());
    return new ChannelInitiator(s, e, SymmetricState.message(ePub, s.encryptAndHash(payload)));
  }

  /** The first handshake message: {@code e (33) ‖ AEAD(payload)}. */
  public byte[] message() {
    return message.clone();
  }

  /**
   * Reads the responder's message and returns its payload.
   *
   * @throws BadInputException the message is too short or its ephemeral key is not a point
   * @throws AuthenticationFailedException the message was not written by the holder of the
   *     static key for this request
   */
  public byte[] finish(byte[] response) throws BadInputException,
      AuthenticationFailedException {
    if (finished) {
      throw new IllegalStateException("this exchange has already been finished");
    }
    finished = true;
    try {
      if (response == null || response.length < OVERHEAD) {
        throw new BadInputException("channel response is " + (response == null ? 0
            : response.length) + " bytes; expected at least " + OVERHEAD);
      }
      byte[] rePub = Arrays.copyOf(response, Point.COMPRESSED_LENGTH);
      Point re = P256.decodePoint(rePub);
      state.mixHash(rePub);
      state.mixKey(re.multiply(ephemeral).x());
      try {
        return state.decryptAndHash(Arrays.copyOfRange(response, Point.COMPRESSED_LENGTH,
            response.length));
      } catch (AEADBadTagException e) {
        throw new AuthenticationFailedException("the channel response did not authenticate: "
            + "it was not written by the fleet key's holder for this request");
      }
    } finally {
      state.destroy();
    }
  }

  /** The handshake hash after {@link #finish}: identical on both sides of one exchange. */
  public byte[] handshakeHash() {
    return state.handshakeHash();
  }
}
