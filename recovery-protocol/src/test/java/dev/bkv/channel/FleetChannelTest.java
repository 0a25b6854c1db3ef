package dev.bkv.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.ec.P256;
import dev.bkv.ec.Point;
import dev.bkv.ec.Scalar;
import dev.bkv.recovery.AuthenticationFailedException;
import dev.bkv.recovery.BadInputException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.junit.jupiter.api.Test;

class FleetChannelTest {
  private static final byte[] PROLOGUE = "bkv test prologue".getBytes(StandardCharsets.UTF_8);
  private final SecureRandom rng = new SecureRandom();
  private final Scalar fleetKey = Scalar.random(rng);
  private final Point fleetPublic = P256.multiplyGenerator(fleetKey);
  private final AtomicInteger staticDhCalls = new AtomicInteger();

  private ChannelResponder.StaticDh holder(Scalar k) {
    return peer -> {
      staticDhCalls.incrementAndGet();
      return peer.multiply(k).x();
    };
  }

  private ChannelResponder accept(byte[] prologue, byte[] message) throws Exception {
    return ChannelResponder.accept(holder(fleetKey), fleetPublic, prologue, message);
  }

  @Test
  void requestAndResponseRoundTrip() throws Exception {
    byte[] request = "register alice".getBytes(StandardCharsets.UTF_8);
    ChannelInitiator c = ChannelInitiator.start(fleetPublic, PROLOGUE, request, rng);
    assertEquals(request.length + ChannelInitiator.OVERHEAD, c.message().length);
    ChannelResponder r = accept(PROLOGUE, c.message());
    assertArrayEquals(request, r.payload());
    assertEquals(1, staticDhCalls.get(), "one static DH per exchange");
    byte[] response = "done".getBytes(StandardCharsets.UTF_8);
    byte[] m2 = r.respond(response, rng);
    assertArrayEquals(response, c.finish(m2));
    assertArrayEquals(c.handshakeHash(), r.handshakeHash());
  }

  @Test
  void emptyPayloadsWork() throws Exception {
    ChannelInitiator c = ChannelInitiator.start(fleetPublic, PROLOGUE, new byte[0], rng);
    ChannelResponder r = accept(PROLOGUE, c.message());
    assertEquals(0, r.payload().length);
    assertEquals(0, c.finish(r.respond(new byte[0], rng)).length);
  }

  @Test
  void anotherKeyHolderCannotReadTheRequest() {
    ChannelInitiator c = ChannelInitiator.start(fleetPublic, PROLOGUE, new byte[] {1, 2}, rng);
    Scalar impostor = Scalar.random(rng);
    // An impostor that pretends to hold the fleet key (it echoes the public key) cannot open it.
    assertThrows(AuthenticationFailedException.class, () -> ChannelResponder.accept(
        holder(impostor), fleetPublic, PROLOGUE, c.message()));
  }

  @Test
  void aResponseFromAnImpostorIsRefused() throws Exception {
    // The impostor runs the responder honestly under its own static key and echoes the real
    // public key: the client, which pinned the real key, refuses its answer.
    Scalar impostorKey = Scalar.random(rng);
    Point impostorPublic = P256.multiplyGenerator(impostorKey);
    ChannelInitiator toImpostor = ChannelInitiator.start(impostorPublic, PROLOGUE, new byte[3],
        rng);
    ChannelResponder impostor = ChannelResponder.accept(holder(impostorKey), impostorPublic,
        PROLOGUE, toImpostor.message());
    byte[] forged = impostor.respond("locked".getBytes(StandardCharsets.UTF_8), rng);
    ChannelInitiator c = ChannelInitiator.start(fleetPublic, PROLOGUE, new byte[3], rng);
    assertThrows(AuthenticationFailedException.class, () -> c.finish(forged));
  }

  @Test
  void aResponseToAnotherRequestIsRefused() throws Exception {
    ChannelInitiator first = ChannelInitiator.start(fleetPublic, PROLOGUE, new byte[] {1}, rng);
    byte[] answer = accept(PROLOGUE, first.message()).respond(new byte[] {9}, rng);
    ChannelInitiator second = ChannelInitiator.start(fleetPublic, PROLOGUE, new byte[] {1}, rng);
    assertThrows(AuthenticationFailedException.class, () -> second.finish(answer));
  }

  @Test
  void theProloguesMustAgree() {
    ChannelInitiator c = ChannelInitiator.start(fleetPublic, PROLOGUE, new byte[] {1}, rng);
    assertThrows(AuthenticationFailedException.class,
        () -> accept("another method".getBytes(StandardCharsets.UTF_8), c.message()));
  }

  @Test
  void everyAlteredByteOfEitherMessageIsRefused() throws Exception {
    byte[] m1 = ChannelInitiator.start(fleetPublic, PROLOGUE, new byte[] {1, 2, 3}, rng)
        .message();
    for (int i = 0; i < m1.length; i++) {
      byte[] bad = m1.clone();
      bad[i] ^= 0x01;
      Exception e = assertThrows(Exception.class, () -> accept(PROLOGUE, bad));
      assertTrue(e instanceof AuthenticationFailedException || e instanceof BadInputException,
          "byte " + i + ": " + e);
    }
    for (int i = 0; i < 36; i++) {
      ChannelInitiator c = ChannelInitiator.start(fleetPublic, PROLOGUE, new byte[] {4}, rng);
      byte[] m2 = accept(PROLOGUE, c.message()).respond(new byte[] {5, 6, 7}, rng);
      m2[i % m2.length] ^= 0x40;
      Exception e = assertThrows(Exception.class, () -> c.finish(m2));
      assertTrue(e instanceof AuthenticationFailedException || e instanceof BadInputException,
          "byte " + i + ": " + e);
    }
  }

  @Test
  void shortOrInvalidMessagesAreBadInputWithoutAKeyOperation() {
    staticDhCalls.set(0);
    for (int len : new int[] {0, 1, 32, 33, 48}) {
      byte[] m = new byte[len];
      BadInputException e = assertThrows(BadInputException.class, () -> accept(PROLOGUE, m));
      assertTrue(e.getMessage().contains("expected at least 49") || len >= 49, e.getMessage());
    }
    byte[] notAPoint = new byte[49];
    notAPoint[0] = 0x05; // not a SEC1 point encoding
    assertThrows(BadInputException.class, () -> accept(PROLOGUE, notAPoint));
    assertEquals(0, staticDhCalls.get(), "nothing unvalidated reached the key holder");
  }

  /**
   * The first message recomputed from the Noise specification with independent primitives
   * (BouncyCastle's RFC 5869 HKDF, whose Extract-then-Expand with empty info is Noise's HKDF):
   * same ephemeral key, same ciphertext.
   */
  @Test
  void firstMessageMatchesAnIndependentTranscription() throws Exception {
    byte[] payload = "payload".getBytes(StandardCharsets.UTF_8);
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) 7);
    SecureRandom fixed = SecureRandom.getInstance("SHA1PRNG");
    fixed.setSeed(seed);
    SecureRandom same = SecureRandom.getInstance("SHA1PRNG");
    same.setSeed(seed);
    byte[] m1 = ChannelInitiator.start(fleetPublic, PROLOGUE, payload, fixed).message();

    Scalar e = Scalar.random(same);
    byte[] ePub = P256.multiplyGenerator(e).toCompressed();
    byte[] h = Arrays.copyOf("Noise_NK_P256_AESGCM_SHA256".getBytes(StandardCharsets.US_ASCII),
        32);
    byte[] ck = h.clone();
    h = sha(h, PROLOGUE);
    h = sha(h, fleetPublic.toCompressed());
    h = sha(h, ePub);
    byte[] okm = new byte[64];
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(fleetPublic.multiply(e).x(), ck, new byte[0]));
    hkdf.generateBytes(okm, 0, 64);
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Arrays.copyOfRange(okm, 32, 64), "AES"),
        new GCMParameterSpec(128, new byte[12]));
    gcm.updateAAD(h);
    byte[] ct = gcm.doFinal(payload);
    assertArrayEquals(ePub, Arrays.copyOf(m1, 33));
    assertArrayEquals(ct, Arrays.copyOfRange(m1, 33, m1.length));
  }

  private static byte[] sha(byte[] a, byte[] b) throws Exception {
    MessageDigest d = MessageDigest.getInstance("SHA-256");
    d.update(a);
    d.update(b);
    return d.digest();
  }
}
