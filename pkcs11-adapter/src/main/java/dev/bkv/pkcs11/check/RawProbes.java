package dev.bkv.pkcs11.check;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

import dev.bkv.pkcs11.Ckr;
import dev.bkv.pkcs11.internal.Involved;
import dev.bkv.pkcs11.internal.Reseal;
import dev.bkv.pkcs11.internal.TokenCore;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.engines.AESWrapEngine;
import org.bouncycastle.crypto.engines.AESWrapPadEngine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.KeyPairTemplate;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.Session;
import org.xipki.pkcs11.wrapper.params.RSA_PKCS_OAEP_PARAMS;

/**
 * Probes that need mechanisms or attributes bkv's key classes do not expose: each runs on a
 * fresh session of its own (closed afterwards, taking its session objects with it), so a failed
 * operation never leaves state on a pooled session.
 */
final class RawProbes {
  /** The vendor RFC 5649 mechanism of Thales Luna ({@code CKM_LUNA_AES_KWP}). */
  static final long CKM_LUNA_AES_KWP = 0x80000171L;
  private final TokenCore core;

  RawProbes(TokenCore core) {
    this.core = core;
  }

  private interface Work {
    Finding run(Session s) throws PKCS11Exception;
  }

  private Finding onFreshSession(Capability c, Work w) {
    Session s;
    try {
      s = core.slot().getToken().openSession(true);
    } catch (PKCS11Exception e) {
      return Finding.missing(c, "opening a session: " + Ckr.of(e.getErrorCode()).name());
    }
    try {
      Involved.reset();
      return w.run(s);
    } catch (PKCS11Exception e) {
      return Finding.missing(c, error(e));
    } finally {
      try {
        s.closeSession();
      } catch (PKCS11Exception ignored) {
        // gone already
      }
    }
  }

  /** {@code CKR_X [mechanism …; attributes …]} for a failed call. */
  static String error(PKCS11Exception e) {
    String inv = Involved.describe(e.getErrorCode());
    return Ckr.of(e.getErrorCode()).name() + (inv.isEmpty() ? "" : " [" + inv + "]");
  }

  private static AttributeVector knownAes(byte[] value, boolean extractable) {
    return new AttributeVector().class_(CKO_SECRET_KEY).keyType(CKK_AES).token(false)
        .private_(true).sensitive(!extractable).extractable(extractable).value(value)
        .wrap(true).unwrap(true).encrypt(true).decrypt(true);
  }

  private static AttributeVector knownSecret(byte[] value) {
    return new AttributeVector().class_(CKO_SECRET_KEY).keyType(CKK_GENERIC_SECRET).token(false)
        .private_(true).sensitive(false).extractable(true).value(value).sign(true).verify(true);
  }

  Finding rsaOaep() {
    return onFreshSession(Capability.RSA_OAEP, s -> {
      AttributeVector pub = new AttributeVector().class_(CKO_PUBLIC_KEY).keyType(CKK_RSA).token(false)
          .modulusBits(2048).publicExponent(BigInteger.valueOf(65537)).wrap(true).encrypt(true);
      AttributeVector priv = new AttributeVector().class_(CKO_PRIVATE_KEY).keyType(CKK_RSA).token(false)
          .private_(true).sensitive(true).unwrap(true).decrypt(true);
      var pair = s.generateKeyPair(Involved.mechanism(CKM_RSA_PKCS_KEY_PAIR_GEN),
          new KeyPairTemplate(Involved.template(priv), Involved.template(pub)));
      long aes = s.createObject(knownAes(ApiProbes.random(32), true));
      List<String> works = new ArrayList<>();
      String last = "";
      for (long[] h : new long[][] {{CKM_SHA256, CKG_MGF1_SHA256}, {CKM_SHA_1, CKG_MGF1_SHA1}}) {
        Mechanism m = new Mechanism(CKM_RSA_PKCS_OAEP, new RSA_PKCS_OAEP_PARAMS(h[0], h[1]));
        try {
          byte[] w = s.wrapKey(m, pair.getPublicKey(), aes);
          s.destroyObject(s.unwrapKey(m, pair.getPrivateKey(), w, new AttributeVector()
              .class_(CKO_SECRET_KEY).keyType(CKK_AES).token(false).sensitive(true).extractable(false)
              .encrypt(true)));
          works.add(h[0] == CKM_SHA256 ? "SHA-256" : "SHA-1");
        } catch (PKCS11Exception e) {
          last = (h[0] == CKM_SHA256 ? "SHA-256: " : "SHA-1: ") + Ckr.of(e.getErrorCode()).name();
        }
      }
      if (works.isEmpty()) {
        return Finding.missing(Capability.RSA_OAEP, "no OAEP hash wraps an AES key (" + last + ")");
      }
      String detail = "OAEP with " + String.join(", ", works);
      return Finding.ok(Capability.RSA_OAEP, detail + "; the ceremony uses SHA-256 where both "
          + "tokens take it, else SHA-1");
    });
  }

  /**
   * Which mechanism ID wraps as RFC 5649: a 24-byte secret of known value (a multiple of 8
   * bytes, not of 16, so the formats differ in length too) is wrapped under a known AES key and
   * compared with BouncyCastle; {@code CKM_AES_KEY_WRAP_PAD} is also compared with PKCS#7
   * padding then RFC 3394, its PKCS#11 v2.40 meaning (NSS). SoftHSM2 2.6.1 zero-pads values to
   * a multiple of 8 before its RFC 5649 wrap, which is why the probe avoids other lengths.
   */
  Finding kwp() {
    return onFreshSession(Capability.KWP, s -> {
      byte[] kekValue = ApiProbes.random(32);
      byte[] secret = ApiProbes.random(24);
      long kek = s.createObject(knownAes(kekValue, false));
      long target = s.createObject(knownSecret(secret));
      byte[] rfc5649 = bcWrap(new AESWrapPadEngine(), kekValue, secret);
      byte[] pkcs7 = Arrays.copyOf(secret, 32);
      Arrays.fill(pkcs7, 24, 32, (byte) 8);
      byte[] padThenKw = bcWrap(new AESWrapEngine(), kekValue, pkcs7);
      List<String> seen = new ArrayList<>();
      for (long ckm : new long[] {CKM_AES_KEY_WRAP_PAD, CKM_AES_KEY_WRAP_KWP, CKM_LUNA_AES_KWP}) {
        String name = Involved.ckmName(ckm);
        byte[] w;
        try {
          w = s.wrapKey(new Mechanism(ckm), kek, target);
        } catch (PKCS11Exception e) {
          seen.add(name + ": " + Ckr.of(e.getErrorCode()).name());
          continue;
        }
        if (Arrays.equals(w, rfc5649)) {
          String note = ckm == CKM_AES_KEY_WRAP_PAD ? "" : "; bkv's ceremony wraps with "
              + "CKM_AES_KEY_WRAP_PAD, so it needs the same meaning on the peer token";
          return ckm == CKM_AES_KEY_WRAP_PAD
              ? Finding.ok(Capability.KWP, "RFC 5649 under " + name + " (matches BouncyCastle)")
              : Finding.fallback(Capability.KWP, "RFC 5649 under " + name + " (matches BouncyCastle)" + note,
                  "CKM_AES_KEY_WRAP_PAD with this token's meaning");
        }
        seen.add(name + ": " + (Arrays.equals(w, padThenKw) ? "PKCS#7 pad + RFC 3394, not RFC 5649"
            : "an unknown format (" + w.length + " bytes), not RFC 5649"));
      }
      boolean padWorks = seen.stream().anyMatch(x -> x.startsWith("CKM_AES_KEY_WRAP_PAD: PKCS#7"));
      if (padWorks) {
        return Finding.fallback(Capability.KWP, String.join("; ", seen),
            "CKM_AES_KEY_WRAP_PAD as this token means it: blobs open only on tokens of the same "
            + "implementation (the evidence records it)");
      }
      return Finding.missing(Capability.KWP, String.join("; ", seen));
    });
  }

  private static byte[] bcWrap(org.bouncycastle.crypto.Wrapper engine, byte[] kek, byte[] in) {
    engine.init(true, new KeyParameter(kek));
    return engine.wrap(in, 0, in.length);
  }

  /**
   * An extractable P-256 session key wrapped under an AES session key with
   * {@code CKM_AES_KEY_WRAP_PAD} and unwrapped again as a non-extractable key; where the token
   * refuses the plain template, once more with NSS's public-value attribute, as the ceremony does.
   */
  Finding ecUnwrap() {
    return onFreshSession(Capability.EC_UNWRAP, s -> {
      AttributeVector kekT = new AttributeVector().class_(CKO_SECRET_KEY).keyType(CKK_AES).valueLen(32)
          .token(false).private_(true).sensitive(true).extractable(false).wrap(true).unwrap(true);
      long kek = s.generateKey(Involved.mechanism(CKM_AES_KEY_GEN), Involved.template(kekT));
      AttributeVector pub = new AttributeVector().class_(CKO_PUBLIC_KEY).keyType(CKK_EC).token(false)
          .ecParams(dev.bkv.pkcs11.internal.Curves.p256Params());
      AttributeVector priv = new AttributeVector().class_(CKO_PRIVATE_KEY).keyType(CKK_EC).token(false)
          .private_(true).sensitive(true).extractable(true).derive(true);
      var pair = s.generateKeyPair(Involved.mechanism(CKM_EC_KEY_PAIR_GEN),
          new KeyPairTemplate(Involved.template(priv), Involved.template(pub)));
      byte[] point = s.getAttrValues(pair.getPublicKey(), CKA_EC_POINT).ecPoint();
      byte[] wrapped = s.wrapKey(Involved.mechanism(CKM_AES_KEY_WRAP_PAD), kek, pair.getPrivateKey());
      AttributeVector t = new AttributeVector().class_(CKO_PRIVATE_KEY).keyType(CKK_EC).token(false)
          .private_(true).sensitive(true).extractable(false).derive(true);
      Involved.reset(); // an error names the unwrap, not the set-up
      String plain;
      try {
        s.unwrapKey(Involved.mechanism(CKM_AES_KEY_WRAP_PAD), kek, wrapped, Involved.template(t));
        return Finding.ok(Capability.EC_UNWRAP, "PKCS#8 under CKM_AES_KEY_WRAP_PAD, unwrapped non-extractable");
      } catch (PKCS11Exception e) {
        if (!dev.bkv.pkcs11.internal.Templates.mayNeedNssPublicValue(e.getErrorCode())) {
          throw e;
        }
        plain = Ckr.of(e.getErrorCode()).name();
      }
      Involved.reset();
      s.unwrapKey(Involved.mechanism(CKM_AES_KEY_WRAP_PAD), kek, wrapped, Involved.template(
          dev.bkv.pkcs11.internal.Templates.withNssPublicValue(t, bare(point))));
      return Finding.fallback(Capability.EC_UNWRAP, "the plain template is refused (" + plain
          + "); unwrapped non-extractable with the public point in CKA_NSS_DB",
          "CKA_NSS_DB with the key's public point from the wrapped keys (ceremony) or the stored "
          + "share (OPRF key shares)");
    });
  }

  /** The 65-byte point, whether the wrapper returned it bare or DER-wrapped. */
  private static byte[] bare(byte[] point) {
    return point.length == 65 ? point : Arrays.copyOfRange(point, point.length - 65, point.length);
  }

  Finding trustedWrap() {
    return onFreshSession(Capability.TRUSTED_WRAP, s -> {
      long kek = s.createObject(knownAes(ApiProbes.random(32), false));
      AttributeVector t = new AttributeVector().class_(CKO_SECRET_KEY).keyType(CKK_AES).valueLen(32)
          .token(false).private_(true).sensitive(true).extractable(true).wrapWithTrusted(true)
          .encrypt(true);
      long target = s.generateKey(Involved.mechanism(CKM_AES_KEY_GEN), Involved.template(t));
      try {
        s.wrapKey(new Mechanism(CKM_AES_KEY_WRAP), kek, target);
      } catch (PKCS11Exception e) {
        if (e.getErrorCode() == CKR_KEY_NOT_WRAPPABLE) {
          return Finding.ok(Capability.TRUSTED_WRAP, "an untrusted key cannot wrap it (CKR_KEY_NOT_WRAPPABLE)");
        }
        return Finding.ok(Capability.TRUSTED_WRAP, "an untrusted key cannot wrap it ("
            + Ckr.of(e.getErrorCode()).name() + ")");
      }
      return Finding.fallback(Capability.TRUSTED_WRAP, "ignored: an untrusted key wrapped a "
          + "CKA_WRAP_WITH_TRUSTED=true key", "the ceremony wraps only to the transport keys the "
          + "transcript names; the evidence records that the token did not enforce it");
    });
  }

  Finding sealing() {
    return onFreshSession(Capability.SEALING, s -> {
      AttributeVector t = new AttributeVector().class_(CKO_SECRET_KEY).keyType(CKK_AES).valueLen(32)
          .token(false).private_(true).sensitive(true).extractable(true).modifiable(true).encrypt(true);
      long k = s.generateKey(Involved.mechanism(CKM_AES_KEY_GEN), Involved.template(t));
      String refused;
      try {
        s.setAttributeValues(k, Involved.template(new AttributeVector().extractable(false)));
        Boolean ex = s.getAttrValues(k, CKA_EXTRACTABLE).extractable();
        if (Boolean.FALSE.equals(ex)) {
          return Finding.ok(Capability.SEALING, "CKA_EXTRACTABLE set to false");
        }
        refused = "accepted but CKA_EXTRACTABLE still reads " + ex;
      } catch (PKCS11Exception e) {
        if (!Reseal.refusal(e.getErrorCode())) {
          throw e;
        }
        refused = "C_SetAttributeValue refused: " + error(e);
      }
      // the keys a genesis seals are ceremony keys, which only a trusted key may wrap: the
      // fallback is tried on such a key
      return reunwrapFinding(refused, () -> {
        long ceremony = s.generateKey(Involved.mechanism(CKM_AES_KEY_GEN), Involved.template(
            new AttributeVector().class_(CKO_SECRET_KEY).keyType(CKK_AES).valueLen(32).token(false)
                .private_(true).sensitive(true).extractable(true).wrapWithTrusted(true).encrypt(true)));
        AttributeVector sealed = new AttributeVector().class_(CKO_SECRET_KEY).keyType(CKK_AES)
            .token(false).private_(true).sensitive(true).extractable(false).wrapWithTrusted(true)
            .encrypt(true);
        long fresh = Reseal.reunwrap(s, ceremony, sealed);
        return s.getAttrValues(fresh, CKA_EXTRACTABLE).extractable();
      });
    });
  }

  /** A re-unwrap tried after the attribute change was refused; returns the copy's CKA_EXTRACTABLE. */
  interface Reunwrap {
    Boolean run() throws PKCS11Exception;
  }

  /** The sealing row when {@code C_SetAttributeValue} did not seal: the fallback, if it works. */
  static Finding reunwrapFinding(String refused, Reunwrap reunwrap) {
    try {
      Boolean ex = reunwrap.run();
      if (Boolean.FALSE.equals(ex)) {
        return Finding.fallback(Capability.SEALING, refused, "seal by unwrapping once more as "
            + "non-extractable and destroying the extractable copy (tried: works)");
      }
      return Finding.missing(Capability.SEALING, refused + "; unwrapped once more, the copy's "
          + "CKA_EXTRACTABLE reads " + ex);
    } catch (PKCS11Exception e) {
      return Finding.missing(Capability.SEALING, refused + "; unwrapping a CKA_WRAP_WITH_TRUSTED "
          + "key (as the fleet keys are) once more as non-extractable under a session key failed "
          + "too: " + error(e));
    }
  }

  /**
   * A non-extractable AES key, generated as such, and a try to wrap it under another session
   * key. NSS softokn 3.87 wraps it all the same: its {@code C_WrapKey} never reads
   * {@code CKA_EXTRACTABLE} (only NSS's PK11 layer above it does).
   */
  Finding unextractable() {
    return onFreshSession(Capability.UNEXTRACTABLE, s -> {
      long kek = s.createObject(knownAes(ApiProbes.random(32), false));
      AttributeVector t = new AttributeVector().class_(CKO_SECRET_KEY).keyType(CKK_AES).valueLen(32)
          .token(false).private_(true).sensitive(true).extractable(false).encrypt(true);
      long k = s.generateKey(Involved.mechanism(CKM_AES_KEY_GEN), Involved.template(t));
      try {
        s.wrapKey(new Mechanism(CKM_AES_KEY_WRAP), kek, k);
      } catch (PKCS11Exception e) {
        return Finding.ok(Capability.UNEXTRACTABLE, "C_WrapKey refuses it ("
            + Ckr.of(e.getErrorCode()).name() + ")");
      }
      return Finding.fallback(Capability.UNEXTRACTABLE, "C_WrapKey wrapped a CKA_EXTRACTABLE=false "
          + "key: the token does not enforce it", "the token as it is: any holder of the user PIN "
          + "can wrap keys out, so it is only as safe as its PIN and files (a software token); "
          + "the evidence records it");
    });
  }

  Finding local() {
    return onFreshSession(Capability.LOCAL, s -> {
      AttributeVector t = new AttributeVector().class_(CKO_SECRET_KEY).keyType(CKK_AES).valueLen(32)
          .token(false).private_(true).sensitive(true).extractable(false).encrypt(true);
      long k = s.generateKey(Involved.mechanism(CKM_AES_KEY_GEN), Involved.template(t));
      Boolean local = s.getAttrValues(k, CKA_LOCAL).local();
      return Boolean.TRUE.equals(local) ? Finding.ok(Capability.LOCAL, "generated keys are CKA_LOCAL=true")
          : Finding.fallback(Capability.LOCAL, "generated keys report CKA_LOCAL=" + local,
              "the evidence shows the value as read; its rules do not rely on CKA_LOCAL");
    });
  }

  Finding concurrentSessions() {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> runs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        runs.add(pool.submit(() -> {
          Session s = core.slot().getToken().openSession(true);
          try {
            long k = s.createObject(knownSecret(ApiProbes.random(32)));
            for (int j = 0; j < 50; j++) {
              s.signSingle(new Mechanism(CKM_SHA256_HMAC), k, ApiProbes.random(16));
            }
            return "";
          } catch (PKCS11Exception e) {
            return Ckr.of(e.getErrorCode()).name();
          } finally {
            s.closeSession();
          }
        }));
      }
      for (Future<String> f : runs) {
        String r = f.get(60, TimeUnit.SECONDS);
        if (!r.isEmpty()) {
          return Finding.missing(Capability.CONCURRENT_SESSIONS, "a session failed: " + r);
        }
      }
      return Finding.ok(Capability.CONCURRENT_SESSIONS, "4 sessions, 200 HMACs at once");
    } catch (Exception e) {
      Throwable c = e.getCause() != null ? e.getCause() : e;
      return Finding.missing(Capability.CONCURRENT_SESSIONS, c instanceof PKCS11Exception p
          ? Ckr.of(p.getErrorCode()).name() : c.toString());
    } finally {
      pool.shutdownNow();
    }
  }
}
