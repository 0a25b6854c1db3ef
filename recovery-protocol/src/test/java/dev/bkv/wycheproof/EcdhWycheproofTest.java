package dev.bkv.wycheproof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.ec.P256;
import dev.bkv.ec.Point;
import dev.bkv.ec.Scalar;
import dev.bkv.ec.XOnlyEcdh;
import dev.bkv.hygiene.NoExtractableKeys;
import dev.bkv.opaque.Pkcs11Primitives;
import dev.bkv.pkcs11.EcPrivateKey;
import dev.bkv.pkcs11.KeySpec;
import dev.bkv.pkcs11.KeyUsage;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.testing.SoftHsmTokens;
import dev.bkv.pkcs11.testing.Tally;
import dev.bkv.pkcs11.testing.WycheproofCase;
import dev.bkv.pkcs11.testing.WycheproofFile;
import dev.bkv.recovery.BadInputException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.Test;

/**
 * Wycheproof {@code ecdh_secp256r1_test.json} through bkv's ECDH path: the peer point goes
 * through {@link P256#decodePoint} (what every OPAQUE message parser uses), then either software
 * scalar multiplication or the HSM's x-only {@code CKM_ECDH1_DERIVE} via
 * {@link Pkcs11Primitives#ecdh} with the test's private key imported into SoftHSM2. The file
 * wraps the point in a DER SubjectPublicKeyInfo, which bkv never parses: the test takes the
 * BIT STRING out (the curve is implicit in bkv's messages) and feeds the raw point to bkv.
 */
class EcdhWycheproofTest {
  private static final WycheproofFile FILE = WycheproofFile.load("ecdh_secp256r1_test.json");

  /** The raw SEC1 point inside the SPKI, or null if the DER does not parse at all. */
  static byte[] rawPoint(byte[] spki) {
    try {
      return SubjectPublicKeyInfo.getInstance(spki).getPublicKeyData().getOctets();
    } catch (RuntimeException e) {
      return null;
    }
  }

  static byte[] scalar32(byte[] signedBigEndian) {
    BigInteger d = new BigInteger(1, signedBigEndian);
    byte[] out = new byte[32];
    byte[] mag = d.toByteArray();
    int n = Math.min(mag.length, 32);
    System.arraycopy(mag, mag.length - n, out, 32 - n, n);
    assertEquals(d, new BigInteger(1, out), "private key does not fit 32 bytes");
    return out;
  }

  interface Dh {
    byte[] x(byte[] privateKey, Point peer) throws Exception;
  }

  /** Runs every case: decode the raw point with bkv, then DH; returns the tally. */
  static Tally run(String path, Dh dh, AtomicInteger dhCalls) throws Exception {
    Tally tally = FILE.tally(path);
    for (WycheproofCase c : FILE.cases()) {
      if (c.flags().contains("UnnamedCurve")) {
        tally.notApplicable(c, "explicit curve parameters in the SPKI; bkv messages carry no "
            + "curve parameters (P-256 is implicit), so only the point could reach bkv");
        continue;
      }
      byte[] raw = rawPoint(c.hex("public"));
      if (raw == null) {
        tally.notApplicable(c, "SPKI DER does not parse; bkv takes raw SEC1 points, never SPKI");
        continue;
      }
      Point peer;
      int before = dhCalls.get();
      try {
        peer = P256.decodePoint(raw);
      } catch (BadInputException e) {
        assertEquals(before, dhCalls.get(), "DH was called for a rejected point");
        tally.rejected(c);
        continue;
      }
      byte[] x = dh.x(c.hex("private"), peer);
      tally.accepted(c, Arrays.equals(c.hex("shared"), x));
    }
    return tally;
  }

  @Test
  void softwareDh() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Tally t = run("P256.decodePoint + Point.multiply (software)", (priv, peer) -> {
      calls.incrementAndGet();
      return peer.multiply(Scalar.decodeNonZero(scalar32(priv))).x();
    }, calls);
    t.finish(FILE.numberOfTests());
    assertTrue(t.rejected() >= 40, "the invalid points must reach the decoder");
  }

  @Test
  void hsmXOnlyDh() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    try (Pkcs11Token token = Pkcs11Token.open(SoftHsmTokens.create("wp-ecdh"))) {
      Map<String, XOnlyEcdh> imported = new HashMap<>();
      Tally t = run("P256.decodePoint + Pkcs11Primitives.ecdh (SoftHSM2 CKM_ECDH1_DERIVE)",
          (priv, peer) -> {
            byte[] d = scalar32(priv);
            String hex = java.util.HexFormat.of().formatHex(d);
            XOnlyEcdh ecdh = imported.get(hex);
            if (ecdh == null) {
              EcPrivateKey key = token.keys().importEcP256(
                  KeySpec.of("wycheproof/ecdh/" + imported.size(), KeyUsage.DERIVE), d, null);
              ecdh = Pkcs11Primitives.ecdh(key);
              imported.put(hex, ecdh);
            }
            calls.incrementAndGet();
            return ecdh.x(peer);
          }, calls);
      t.finish(FILE.numberOfTests());
      assertEquals(t.accepted(), calls.get(), "one HSM call per accepted point, none otherwise");
      assertEquals(imported.size(), NoExtractableKeys.check(token));
    }
  }
}
