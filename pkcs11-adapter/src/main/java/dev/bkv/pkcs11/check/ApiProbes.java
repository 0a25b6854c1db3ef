package dev.bkv.pkcs11.check;

import dev.bkv.pkcs11.AesKey;
import dev.bkv.pkcs11.Ckr;
import dev.bkv.pkcs11.EcPrivateKey;
import dev.bkv.pkcs11.EcdhRoute;
import dev.bkv.pkcs11.Ed25519PrivateKey;
import dev.bkv.pkcs11.GcmIv;
import dev.bkv.pkcs11.GcmSealed;
import dev.bkv.pkcs11.HmacKey;
import dev.bkv.pkcs11.HsmException;
import dev.bkv.pkcs11.HsmKey;
import dev.bkv.pkcs11.KeySpec;
import dev.bkv.pkcs11.KeyUsage;
import dev.bkv.pkcs11.Pkcs11Token;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.math.ec.ECPoint;

/**
 * Probes through bkv's own key classes, on session-only keys, each result checked in software:
 * ECDH against BouncyCastle, signatures verified, HMAC against the JDK, GCM's IV handling by
 * determinism and decryption.
 */
final class ApiProbes {
  private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Pkcs11Token token;
  /** Set when the token makes EC key pairs only as token objects; {@link #cleanUp} removes them. */
  private boolean tokenObjects;
  private final java.util.List<String> persistentLabels = new java.util.ArrayList<>();

  ApiProbes(Pkcs11Token token) {
    this.token = token;
  }

  /** A session-only probe key, or a token object where the token makes no session key pairs. */
  private KeySpec spec(String name, KeyUsage first, KeyUsage... more) {
    KeySpec k = KeySpec.of("bkv-check/" + name + "-" + java.util.HexFormat.of().formatHex(random(4)),
        first, more);
    if (!tokenObjects) {
      return k.sessionOnly();
    }
    persistentLabels.add(k.label());
    return k;
  }

  /** Destroys every token object a probe made, whether or not the probe got to it. */
  void cleanUp() {
    for (String label : persistentLabels) {
      try {
        token.keys().destroyAll(label);
      } catch (HsmException ignored) {
        // best effort: the label names it as the check's
      }
    }
    persistentLabels.clear();
  }

  Finding sessionObjects() {
    try {
      AesKey k = token.keys().generateAes256(spec("session", KeyUsage.ENCRYPT, KeyUsage.DECRYPT));
      k.destroy();
      return Finding.ok(Capability.SESSION_OBJECTS, "CKA_TOKEN=false keys work");
    } catch (HsmException e) {
      return Finding.fallback(Capability.SESSION_OBJECTS, e.getMessage(),
          "token-object handles, no per-process copies");
    }
  }

  Finding ecdh() {
    try {
      EcPrivateKey k = token.keys().generateEcP256(spec("ecdh", KeyUsage.DERIVE));
      BigInteger d = new BigInteger(1, random(32)).mod(P256.getN().subtract(BigInteger.ONE)).add(BigInteger.ONE);
      byte[] peer = P256.getG().multiply(d).normalize().getEncoded(false);
      byte[] x = k.ecdhX(peer);
      EcdhRoute route = k.ecdhRoute();
      ECPoint tokenPub = P256.getCurve().decodePoint(k.publicKey().point());
      byte[] expected = tokenPub.multiply(d).normalize().getAffineXCoord().getEncoded();
      destroy(k);
      return ecdhFinding(route, MessageDigest.isEqual(x, expected));
    } catch (HsmException e) {
      return Finding.missing(Capability.ECDH_X, e.getMessage()
          + " (bkv needs the raw x-coordinate for the OPRF: this token cannot host a member)");
    }
  }

  /** The ECDH row for the route the token took and whether its x matched software (pure). */
  static Finding ecdhFinding(EcdhRoute route, boolean matches) {
    if (!matches) {
      return Finding.missing(Capability.ECDH_X, "the token's x-coordinate (" + route.description()
          + ") differs from the software ECDH");
    }
    if (route == EcdhRoute.WRAP_OUT) {
      return Finding.fallback(Capability.ECDH_X, "the token does not let the derived secret's "
          + "CKA_VALUE be read; x(k·P) wrapped out matches software", route.description());
    }
    return Finding.ok(Capability.ECDH_X, "x(k·P) read from an extractable derived secret; matches software");
  }

  /**
   * A P-256 key pair as session objects; where the token refuses that, once more as token
   * objects (tpm2-pkcs11), and the EC probes after it then use token objects too.
   */
  Finding ecKeygen() {
    try {
      destroy(token.keys().generateEcP256(spec("ec", KeyUsage.SIGN)));
      return Finding.ok(Capability.EC_KEYGEN, "CKM_EC_KEY_PAIR_GEN P-256");
    } catch (HsmException asSession) {
      if (asSession.ckr().filter(c -> c.equals(Ckr.MECHANISM_INVALID)).isPresent()) {
        return Finding.missing(Capability.EC_KEYGEN, asSession.getMessage());
      }
      tokenObjects = true;
      try {
        destroy(token.keys().generateEcP256(spec("ec", KeyUsage.SIGN)));
        return Finding.ok(Capability.EC_KEYGEN, "CKM_EC_KEY_PAIR_GEN P-256 as token objects only "
            + "(as session objects: " + asSession.ckr().map(c -> c.name()).orElse(asSession.getMessage())
            + "); the probes below use token objects and destroy them");
      } catch (HsmException asToken) {
        tokenObjects = false;
        return Finding.missing(Capability.EC_KEYGEN, asSession.getMessage()
            + "; as token objects too: " + asToken.ckr().map(c -> c.name()).orElse(asToken.getMessage()));
      }
    }
  }

  Finding ecdsa() {
    try {
      EcPrivateKey k = token.keys().generateEcP256(spec("ecdsa", KeyUsage.SIGN));
      byte[] msg = "bkv token check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      byte[] sig = k.signEcdsa(msg);
      ECDSASigner v = new ECDSASigner();
      ECDomainParameters dom = new ECDomainParameters(P256.getCurve(), P256.getG(), P256.getN());
      v.init(false, new ECPublicKeyParameters(P256.getCurve().decodePoint(k.publicKey().point()), dom));
      boolean ok = v.verifySignature(MessageDigest.getInstance("SHA-256").digest(msg),
          new BigInteger(1, Arrays.copyOf(sig, 32)), new BigInteger(1, Arrays.copyOfRange(sig, 32, 64)));
      destroy(k);
      return ok ? Finding.ok(Capability.ECDSA, "CKM_ECDSA, raw r||s; verifies in software")
          : Finding.missing(Capability.ECDSA, "signature does not verify in software");
    } catch (HsmException e) {
      return Finding.missing(Capability.ECDSA, e.getMessage());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  Finding eddsa() {
    try {
      Ed25519PrivateKey k = token.keys().generateEd25519(spec("ed25519", KeyUsage.SIGN));
      byte[] msg = "bkv token check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      byte[] sig = k.sign(msg);
      Ed25519Signer v = new Ed25519Signer();
      v.init(false, new Ed25519PublicKeyParameters(k.publicKey().encoded(), 0));
      v.update(msg, 0, msg.length);
      boolean ok = v.verifySignature(sig);
      destroy(k);
      return ok ? Finding.ok(Capability.EDDSA, "CKM_EDDSA Ed25519; verifies in software")
          : Finding.fallback(Capability.EDDSA, "Ed25519 signature does not verify in software",
              "ECDSA P-256 note signatures");
    } catch (HsmException e) {
      return Finding.fallback(Capability.EDDSA, e.getMessage(), "ECDSA P-256 note signatures");
    }
  }

  Finding gcm() {
    try {
      AesKey k = token.keys().generateAes256(spec("gcm", KeyUsage.ENCRYPT, KeyUsage.DECRYPT));
      byte[] pt = random(32);
      byte[] aad = "user|fleet|epoch".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      GcmIv mode = k.gcmIv();
      GcmSealed sealed = k.sealGcm(pt, aad, new java.security.SecureRandom());
      byte[] ct = sealed.ciphertextAndTag();
      boolean opens = ct.length == pt.length + 16
          && Arrays.equals(pt, k.decryptGcm(sealed.iv(), ct, aad));
      boolean ivMatters = true;
      if (mode == GcmIv.CALLER) {
        byte[] iv2 = sealed.iv();
        iv2[0] ^= 1;
        ivMatters = !Arrays.equals(ct, k.encryptGcm(iv2, pt, aad));
      }
      destroy(k);
      return gcmFinding(mode, opens, ivMatters);
    } catch (HsmException e) {
      return Finding.missing(Capability.AES_GCM, e.getMessage());
    }
  }

  /** The GCM row for what the probe saw (pure). */
  static Finding gcmFinding(GcmIv mode, boolean opens, boolean ivMatters) {
    if (!opens) {
      return Finding.missing(Capability.AES_GCM, "the output does not open under the IV it was made "
          + "under (" + mode.description() + ")");
    }
    if (!ivMatters) {
      return Finding.missing(Capability.AES_GCM, "the token gives the same output under another IV");
    }
    if (mode == GcmIv.CALLER) {
      return Finding.ok(Capability.AES_GCM, "caller's IV honoured; ciphertext||tag sized for the tag");
    }
    return Finding.fallback(Capability.AES_GCM, "the token ignores or refuses the caller's IV and "
        + "returns its own through C_EncryptMessage (CKG_GENERATE_RANDOM)",
        "HSM-generated IVs, each stored with its ciphertext (never a zero IV handed over)");
  }

  Finding hmac() {
    try {
      byte[] secret = random(32);
      HmacKey k = token.keys().importHmacKey(spec("hmac", KeyUsage.SIGN, KeyUsage.VERIFY), secret);
      byte[] data = "oprf seed check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      byte[] mac = k.sign(data);
      Mac jdk = Mac.getInstance("HmacSHA256");
      jdk.init(new SecretKeySpec(secret, "HmacSHA256"));
      boolean ok = MessageDigest.isEqual(mac, jdk.doFinal(data));
      destroy(k);
      return ok ? Finding.ok(Capability.HMAC, "CKM_SHA256_HMAC; matches the JDK")
          : Finding.missing(Capability.HMAC, "HMAC differs from the JDK's");
    } catch (HsmException e) {
      return Finding.missing(Capability.HMAC, e.getMessage());
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private static void destroy(HsmKey k) {
    // token objects made here are also destroyed by label in cleanUp
    try {
      k.destroy();
    } catch (HsmException ignored) {
      // a session object goes with its session anyway
    }
  }
}
