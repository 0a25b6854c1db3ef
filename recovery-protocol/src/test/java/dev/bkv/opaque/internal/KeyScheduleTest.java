package dev.bkv.opaque.internal;

import dev.bkv.hash.Hkdf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.bkv.ec.P256;
import dev.bkv.ec.Point;
import dev.bkv.ec.Scalar;
import dev.bkv.opaque.Ke1;
import dev.bkv.opaque.Ke2;
import dev.bkv.opaque.OpaqueVectors;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The RFC 9807 intermediates of the key schedule and envelope, recomputed step by step. */
class KeyScheduleTest {
  static List<OpaqueVectors.Case> real() {
    return OpaqueVectors.real();
  }

  @ParameterizedTest
  @MethodSource("real")
  void intermediatesMatch(OpaqueVectors.Case c) throws Exception {
    byte[] rwd = c.mid("randomized_password");
    byte[] envelopeNonce = c.in("envelope_nonce");
    assertArrayEquals(c.mid("auth_key"),
        Hkdf.expand(rwd, Bytes.concat(envelopeNonce, Bytes.ascii("AuthKey")), 32));
    assertArrayEquals(c.mid("masking_key"), Envelope.maskingKey(rwd));

    Ke1 ke1 = Ke1.parse(c.out("KE1"));
    Ke2 ke2 = Ke2.parse(c.out("KE2"));
    Scalar serverKeyshare = OpaqueDerivations.dhKeyPair(c.in("server_keyshare_seed"))
        .privateKey();
    Scalar serverPrivate = Scalar.decodeNonZero(c.in("server_private_key"));
    Point clientPublic = P256.decodePoint(c.mid("client_public_key"));
    byte[] ikm = Bytes.concat(
        ke1.clientPublicKeyshare().multiply(serverKeyshare).toCompressed(),
        ke1.clientPublicKeyshare().multiply(serverPrivate).toCompressed(),
        clientPublic.multiply(serverKeyshare).toCompressed());
    byte[] cid = c.inputs().has("client_identity") ? c.in("client_identity")
        : clientPublic.toCompressed();
    byte[] sid = c.inputs().has("server_identity") ? c.in("server_identity")
        : c.in("server_public_key");
    byte[] preamble = KeySchedule.preamble(c.suite().context(), cid, c.out("KE1"), sid,
        ke2.credentialResponseBytes(), ke2.serverNonce(),
        ke2.serverPublicKeyshare().toCompressed());
    KeySchedule.Keys k = KeySchedule.deriveKeys(ikm, preamble);
    assertArrayEquals(c.mid("handshake_secret"), k.handshakeSecret());
    assertArrayEquals(c.mid("server_mac_key"), k.serverMacKey());
    assertArrayEquals(c.mid("client_mac_key"), k.clientMacKey());
    assertArrayEquals(c.out("session_key"), k.sessionKey());
    assertArrayEquals(ke2.serverMac(), KeySchedule.serverMac(k));
    assertArrayEquals(c.out("KE3"), KeySchedule.clientMac(k, preamble, ke2.serverMac()));
    // The envelope's tag is the MAC over nonce || cleartext credentials.
    byte[] envelope = c.mid("envelope");
    assertArrayEquals(Arrays.copyOfRange(envelope, 32, 64), Hkdf.hmac(c.mid("auth_key"),
        envelopeNonce, OpaqueDerivations.cleartextCredentials(
            P256.decodePoint(c.in("server_public_key")), clientPublic,
            c.inputs().has("server_identity") ? c.in("server_identity") : null,
            c.inputs().has("client_identity") ? c.in("client_identity") : null)));
  }
}
