package dev.bkv.node.tenant;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.bkv.node.store.UserId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Mints tenant tokens the way an app backend does (docs/tenant-tokens.md): ES256 over a P-256
 * private JWK with a {@code kid}. For {@code bkv tenant}, dev fleets, demos and tests; a real
 * backend mints with its own JOSE library and keeps the private key there.
 *
 * <p>Holds a private key: {@link #toString()} names only the kid.
 */
public final class TenantSigner {
  private final ECKey key;
  private final ECDSASigner signer;

  private TenantSigner(ECKey key) throws TenantKeyException {
    if (!key.isPrivate()) {
      throw new TenantKeyException("tenant key '" + key.getKeyID() + "' is a public key; "
          + "minting needs the private JWK (tenant-private.jwk)");
    }
    if (!Curve.P_256.equals(key.getCurve())) {
      throw new TenantKeyException("tenant key '" + key.getKeyID() + "' is on curve "
          + key.getCurve() + "; expected P-256 (ES256)");
    }
    if (key.getKeyID() == null || key.getKeyID().isEmpty()) {
      throw new TenantKeyException("tenant private key has no kid; tokens must name their key");
    }
    try {
      this.signer = new ECDSASigner(key);
    } catch (JOSEException e) {
      throw new TenantKeyException("tenant key '" + key.getKeyID() + "' cannot sign ES256: "
          + e.getMessage(), e);
    }
    this.key = key;
  }

  /**
   * A fresh P-256 key named {@code kid}, or, if {@code kid} is null, named by its RFC 7638 JWK
   * thumbprint (base64url SHA-256).
   */
  public static TenantSigner generate(String kid, SecureRandom random) throws TenantKeyException {
    if (kid != null && (kid.isBlank() || kid.length() > 64 || !kid.strip().equals(kid))) {
      throw new TenantKeyException("kid is '" + kid + "'; expected 1..64 characters without "
          + "surrounding spaces");
    }
    try {
      ECKeyGenerator g = new ECKeyGenerator(Curve.P_256);
      g.keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).secureRandom(random);
      if (kid == null) {
        g.keyIDFromThumbprint(true);
      } else {
        g.keyID(kid);
      }
      return new TenantSigner(g.generate());
    } catch (JOSEException e) {
      throw new TenantKeyException("cannot generate a P-256 key: " + e.getMessage(), e);
    }
  }

  /** Parses a private EC P-256 JWK with a kid. */
  public static TenantSigner parse(String source, String json) throws TenantKeyException {
    ECKey key;
    try {
      if (JSONObjectUtils.parse(json).containsKey("keys")) {
        throw new TenantKeyException(source + " is a JWK Set of public keys (tenant-keys.json, "
            + "for members); minting needs the private JWK (tenant-private.jwk)");
      }
      key = ECKey.parse(json);
    } catch (ParseException e) {
      throw new TenantKeyException(source + " is not an EC JWK: " + e.getMessage(), e);
    }
    if (!key.isPrivate()) {
      throw new TenantKeyException(source + " holds the public key '" + key.getKeyID()
          + "'; minting needs the private JWK (tenant-private.jwk)");
    }
    return new TenantSigner(key);
  }

  /** Reads a private JWK file (as written by {@code bkv tenant keygen}). */
  public static TenantSigner load(Path file) throws TenantKeyException {
    try {
      if (Files.size(file) > TenantKeys.MAX_FILE_BYTES) {
        throw new TenantKeyException("tenant key file " + file + " is too large; expected one "
            + "JWK");
      }
      return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new TenantKeyException("cannot read tenant key file " + file + ": "
          + e.getClass().getSimpleName() + " " + e.getMessage(), e);
    }
  }

  public String kid() {
    return key.getKeyID();
  }

  /** The private JWK as JSON: a secret, for the backend's key store only. */
  public String privateJwkJson() {
    return key.toJSONString();
  }

  /** The public JWK Set to pin as {@code node.tenant.keys}. */
  public String publicJwkSetJson() {
    return new JWKSet(key.toPublicJWK()).toString(true);
  }

  /** The public key as pinned keys, for in-process members and tests. */
  public TenantKeys publicKeys() throws TenantKeyException {
    return TenantKeys.of(new JWKSet(key.toPublicJWK()));
  }

  /**
   * A token for {@code subject} (the user id as UTF-8, 1..255 bytes) and {@code audience},
   * issued at {@code issuedAt} (whole seconds) and expiring {@code ttl} (whole seconds, &gt; 0)
   * later.
   */
  public String mint(String subject, String audience, Instant issuedAt, Duration ttl) {
    new UserId(subject.getBytes(StandardCharsets.UTF_8)); // checks 1..255 bytes
    if (audience == null || audience.isEmpty()) {
      throw new IllegalArgumentException("audience is empty; expected the fleet's audience");
    }
    if (ttl.isNegative() || ttl.isZero() || ttl.getNano() != 0) {
      throw new IllegalArgumentException("ttl is " + ttl + "; expected a whole number of "
          + "seconds > 0");
    }
    Instant iat = Instant.ofEpochSecond(issuedAt.getEpochSecond());
    JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(subject).audience(audience)
        .issueTime(Date.from(iat)).expirationTime(Date.from(iat.plus(ttl))).build();
    return sign(header(), claims);
  }

  /** The header every tenant token carries: ES256, typ, kid. */
  JWSHeader header() {
    return new JWSHeader.Builder(JWSAlgorithm.ES256)
        .type(new JOSEObjectType(TenantAuthority.TYPE)).keyID(kid()).build();
  }

  /** Signs any header and claims (package-private: tests build broken tokens with it). */
  String sign(JWSHeader header, JWTClaimsSet claims) {
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("ES256 signing failed: " + e.getMessage(), e);
    }
    return jwt.serialize();
  }

  @Override
  public String toString() {
    return "TenantSigner[kid=" + kid() + "]";
  }
}
