package dev.bkv.pkcs11.internal;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.*;

import dev.bkv.pkcs11.Ckr;
import dev.bkv.pkcs11.EcdhRoute;
import dev.bkv.pkcs11.HsmException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.PKCS11Module;
import org.xipki.pkcs11.wrapper.Session;
import org.xipki.pkcs11.wrapper.attrs.Attribute;
import org.xipki.pkcs11.wrapper.params.ECDH1_DERIVE_PARAMS;

/**
 * The raw x-coordinate of {@code CKM_ECDH1_DERIVE} ({@code CKD_NULL}) on any token that releases
 * it. The first ECDH on a token decides the {@link EcdhRoute}: the derived secret is read
 * directly where the token lets it be read; where it will not ({@code CKR_ATTRIBUTE_SENSITIVE},
 * a secret forced sensitive or non-extractable, or a readable template refused), through the
 * {@link WrapOut}. The route that worked is remembered per token and used alone from then on.
 */
public final class EcdhX {
  private record TokenKey(PKCS11Module module, long slot) {}

  private static final Map<TokenKey, EcdhRoute> ROUTES = new ConcurrentHashMap<>();

  private EcdhX() {}

  /** The P-256 generator, uncompressed (65 bytes): a peer point whose ECDH result is public. */
  public static byte[] p256Generator() {
    return org.bouncycastle.crypto.ec.CustomNamedCurves.getByName("secp256r1").getG().getEncoded(false);
  }

  /** The route remembered for the token of {@code s}, if an ECDH decided it already. */
  public static Optional<EcdhRoute> known(Session s) {
    return Optional.ofNullable(ROUTES.get(key(s)));
  }

  /**
   * x(k·P) for the private key {@code key} and the 65-byte uncompressed point {@code peer},
   * through the token's route (deciding it on the first call).
   *
   * @throws HsmException naming both routes' refusals when the token releases no ECDH value
   */
  public static byte[] derive(Session s, long key, byte[] peer, String what)
      throws PKCS11Exception, HsmException {
    TokenKey token = key(s);
    EcdhRoute known = ROUTES.get(token);
    if (known == EcdhRoute.WRAP_OUT) {
      return WrapOut.deriveX(s, key, peer, what);
    }
    Direct d = direct(s, key, peer, what);
    if (d.x() != null) {
      ROUTES.putIfAbsent(token, EcdhRoute.DIRECT);
      return d.x();
    }
    if (known == EcdhRoute.DIRECT) {
      throw new HsmException(what, "the token no longer lets the derived secret be read ("
          + d.refusal() + ") [mechanism CKM_ECDH1_DERIVE; attribute CKA_VALUE]");
    }
    Involved.reset(); // an error names the wrap-out's calls
    byte[] x;
    try {
      x = WrapOut.deriveX(s, key, peer, what);
    } catch (PKCS11Exception e) {
      long code = e.getErrorCode();
      throw new HsmException(what, "the token releases no ECDH value: reading the derived secret "
          + "refused (" + d.refusal() + "); wrapping it out with CKM_AES_KEY_WRAP under a host "
          + "session key refused too (" + Ckr.of(code).name() + " [" + Involved.describe(code)
          + "])", e);
    }
    ROUTES.put(token, EcdhRoute.WRAP_OUT);
    return x;
  }

  /** The direct read: the x-coordinate, or why the token would not release it. */
  private record Direct(byte[] x, String refusal) {}

  private static Direct direct(Session s, long key, byte[] peer, String what)
      throws PKCS11Exception, HsmException {
    long secret;
    try {
      secret = s.deriveKey(Involved.mechanism(CKM_ECDH1_DERIVE,
          new ECDH1_DERIVE_PARAMS(CKD_NULL, null, peer)), key, Involved.template(Templates.ecdhOutput()));
    } catch (PKCS11Exception e) {
      long code = e.getErrorCode();
      if (code == CKR_TEMPLATE_INCONSISTENT || code == CKR_ATTRIBUTE_VALUE_INVALID) {
        return new Direct(null, "C_DeriveKey refused a readable secret, CKA_SENSITIVE=false: "
            + Ckr.of(code).name());
      }
      throw e;
    }
    try {
      Involved.attributes(CKA_VALUE);
      AttributeVector v;
      try {
        v = s.getAttrValues(secret, CKA_VALUE);
      } catch (PKCS11Exception e) {
        if (e.getErrorCode() != CKR_ATTRIBUTE_SENSITIVE) {
          throw e;
        }
        return new Direct(null, refusal(s, secret));
      }
      Attribute a = v.getAttribute(CKA_VALUE);
      byte[] x = v.value();
      if (x == null && a != null && a.isSensitive()) {
        return new Direct(null, refusal(s, secret));
      }
      if (x == null || x.length != 32) {
        throw new HsmException(what, "token returned "
            + (x == null ? "no value" : x.length + " bytes") + "; expected a 32-byte x-coordinate");
      }
      return new Direct(x, "");
    } finally {
      s.destroyObject(secret);
    }
  }

  /** {@code CKR_ATTRIBUTE_SENSITIVE}, with what the token made of the readable template. */
  private static String refusal(Session s, long secret) {
    String forced = "";
    try {
      AttributeVector f = s.getAttrValues(secret, CKA_SENSITIVE, CKA_EXTRACTABLE);
      if (Boolean.TRUE.equals(f.sensitive())) {
        forced += "; the token made it CKA_SENSITIVE=true";
      }
      if (Boolean.FALSE.equals(f.extractable())) {
        forced += "; the token made it CKA_EXTRACTABLE=false";
      }
    } catch (PKCS11Exception ignored) {
      // the refusal itself is what matters
    }
    return "CKA_VALUE: CKR_ATTRIBUTE_SENSITIVE" + forced;
  }

  private static TokenKey key(Session s) {
    return new TokenKey(s.getModule(), s.getToken().getTokenID());
  }
}
