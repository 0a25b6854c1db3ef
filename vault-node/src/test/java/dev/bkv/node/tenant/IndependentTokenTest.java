package dev.bkv.node.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.node.store.UserId;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The token format as docs/tenant-tokens.md states it, implemented with the JDK alone (no JOSE
 * library): what any backend does. A token minted this way verifies, and a token minted by
 * {@link TenantSigner} verifies this way.
 */
class IndependentTokenTest {
  private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private static String b64(byte[] b) {
    return B64.encodeToString(b);
  }

  /** A coordinate as 32 big-endian bytes (JWK x/y, RFC 7518 §6.2.1.2). */
  private static byte[] fixed32(BigInteger v) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[32];
    int n = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - n, out, 32 - n, n);
    return out;
  }

  @Test
  void aTokenMintedWithTheJdkAloneVerifies() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = g.generateKeyPair();
    ECPoint w = ((ECPublicKey) pair.getPublic()).getW();
    String jwkSet = "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"backend-2026\","
        + "\"x\":\"" + b64(fixed32(w.getAffineX())) + "\",\"y\":\""
        + b64(fixed32(w.getAffineY())) + "\"}]}";

    String header = "{\"alg\":\"ES256\",\"typ\":\"bkv-tenant+jwt\",\"kid\":\"backend-2026\"}";
    long iat = NOW.getEpochSecond();
    String claims = "{\"sub\":\"alice@example.com\",\"aud\":\"prod-fleet\",\"iat\":" + iat
        + ",\"exp\":" + (iat + 300) + "}";
    String signingInput = b64(header.getBytes(StandardCharsets.UTF_8)) + "."
        + b64(claims.getBytes(StandardCharsets.UTF_8));
    Signature ecdsa = Signature.getInstance("SHA256withECDSAinP1363Format");
    ecdsa.initSign(pair.getPrivate());
    ecdsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    byte[] sig = ecdsa.sign();
    assertEquals(64, sig.length); // r ‖ s, 32 bytes each
    String token = signingInput + "." + b64(sig);

    TenantAuthority authority = new TenantAuthority(TenantKeys.parse("backend", jwkSet),
        "prod-fleet", Duration.ofMinutes(10), Clock.fixed(NOW.plusSeconds(5), ZoneOffset.UTC));
    authority.authorize(token, new UserId("alice@example.com".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aTokenFromTenantSignerVerifiesWithTheJdkAlone() throws Exception {
    TenantSigner signer = TenantSigner.generate("k1", new java.security.SecureRandom());
    String token = signer.mint("bob", "dev", NOW, Duration.ofMinutes(2));
    String[] parts = token.split("\\.");
    assertEquals(3, parts.length);
    String header = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
    String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    assertTrue(header.contains("\"alg\":\"ES256\""), header);
    assertTrue(header.contains("\"typ\":\"bkv-tenant+jwt\""), header);
    assertTrue(header.contains("\"kid\":\"k1\""), header);
    assertTrue(claims.contains("\"sub\":\"bob\""), claims);
    assertTrue(claims.contains("\"aud\":\"dev\""), claims);
    assertTrue(claims.contains("\"iat\":" + NOW.getEpochSecond()), claims);
    assertTrue(claims.contains("\"exp\":" + (NOW.getEpochSecond() + 120)), claims);

    String set = signer.publicJwkSetJson();
    ECPublicKeySpec spec = new ECPublicKeySpec(new ECPoint(coordinate(set, "x"),
        coordinate(set, "y")), ((ECPublicKey) keyPairP256().getPublic()).getParams());
    ECPublicKey pub = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(spec);
    Signature ecdsa = Signature.getInstance("SHA256withECDSAinP1363Format");
    ecdsa.initVerify(pub);
    ecdsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertTrue(ecdsa.verify(Base64.getUrlDecoder().decode(parts[2])));
    assertTrue(!set.contains("\"d\""), "public set has no private part: " + set);
  }

  private static BigInteger coordinate(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([A-Za-z0-9_-]+)\"").matcher(json);
    assertTrue(m.find(), name + " in " + json);
    byte[] b = Base64.getUrlDecoder().decode(m.group(1));
    assertEquals(32, b.length, Arrays.toString(b));
    return new BigInteger(1, b);
  }

  private static KeyPair keyPairP256() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }
}
