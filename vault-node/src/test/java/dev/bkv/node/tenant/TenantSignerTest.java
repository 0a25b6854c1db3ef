package dev.bkv.node.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TenantSignerTest {
  private static final SecureRandom RNG = new SecureRandom();
  private static final Instant NOW = Instant.parse("2026-12-07T10:00:00.750Z");

  @Test
  void aPrivateJwkRoundTripsAndNeverShowsInToString() throws Exception {
    TenantSigner a = TenantSigner.generate("k1", RNG);
    TenantSigner b = TenantSigner.parse("a.jwk", a.privateJwkJson());
    assertEquals("k1", b.kid());
    assertEquals(a.publicJwkSetJson(), b.publicJwkSetJson());
    assertEquals("TenantSigner[kid=k1]", a.toString());
    assertFalse(a.publicJwkSetJson().contains("\"d\""));
  }

  @Test
  void refusesKeysThatCannotMint() throws Exception {
    TenantSigner a = TenantSigner.generate("k1", RNG);
    assertEquals("a.json is a JWK Set of public keys (tenant-keys.json, for members); minting "
        + "needs the private JWK (tenant-private.jwk)", assertThrows(TenantKeyException.class,
            () -> TenantSigner.parse("a.json", a.publicJwkSetJson())).getMessage());
    String p384 = new ECKeyGenerator(Curve.P_384).keyID("big").generate().toJSONString();
    assertEquals("tenant key 'big' is on curve P-384; expected P-256 (ES256)",
        assertThrows(TenantKeyException.class, () -> TenantSigner.parse("b", p384))
            .getMessage());
    String noKid = new ECKeyGenerator(Curve.P_256).generate().toJSONString();
    assertThrows(TenantKeyException.class, () -> TenantSigner.parse("c", noKid));
    assertThrows(TenantKeyException.class, () -> TenantSigner.parse("d", "{}"));
    assertThrows(TenantKeyException.class, () -> TenantSigner.generate(" k", RNG));
  }

  @Test
  void mintTruncatesIatToSecondsAndChecksItsArguments() throws Exception {
    TenantSigner s = TenantSigner.generate(null, RNG);
    assertEquals(43, s.kid().length(), "RFC 7638 thumbprint: " + s.kid());
    String token = s.mint("alice", "aud", NOW, Duration.ofSeconds(60));
    String claims = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]),
        java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(claims.contains("\"iat\":" + NOW.getEpochSecond()), claims);
    assertTrue(claims.contains("\"exp\":" + (NOW.getEpochSecond() + 60)), claims);
    assertThrows(IllegalArgumentException.class,
        () -> s.mint("", "aud", NOW, Duration.ofSeconds(60)));
    assertThrows(IllegalArgumentException.class,
        () -> s.mint("x".repeat(256), "aud", NOW, Duration.ofSeconds(60)));
    assertThrows(IllegalArgumentException.class,
        () -> s.mint("alice", "", NOW, Duration.ofSeconds(60)));
    assertThrows(IllegalArgumentException.class,
        () -> s.mint("alice", "aud", NOW, Duration.ofMillis(1500)));
    assertThrows(IllegalArgumentException.class,
        () -> s.mint("alice", "aud", NOW, Duration.ZERO));
  }
}
