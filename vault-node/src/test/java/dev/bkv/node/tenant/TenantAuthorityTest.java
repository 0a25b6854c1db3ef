package dev.bkv.node.tenant;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.bkv.node.store.UserId;
import dev.bkv.node.tenant.TenantTokenException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TenantAuthorityTest {
  private static final SecureRandom RNG = new SecureRandom();
  private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
  private static final String AUD = "test-fleet";
  private static final UserId ALICE = user("alice");
  private static final TenantSigner SIGNER = signer("k1");
  private static final TenantAuthority AUTHORITY = authority(NOW);

  private static TenantSigner signer(String kid) {
    try {
      return TenantSigner.generate(kid, RNG);
    } catch (TenantKeyException e) {
      throw new AssertionError(e);
    }
  }

  private static TenantAuthority authority(Instant now) {
    try {
      return new TenantAuthority(SIGNER.publicKeys(), AUD, Duration.ofSeconds(600),
          Clock.fixed(now, ZoneOffset.UTC));
    } catch (TenantKeyException e) {
      throw new AssertionError(e);
    }
  }

  private static UserId user(String name) {
    return new UserId(name.getBytes(StandardCharsets.UTF_8));
  }

  /** Claims that pass, to be broken one at a time. */
  private static JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder().subject("alice").audience(AUD)
        .issueTime(Date.from(NOW.minusSeconds(10))).expirationTime(Date.from(NOW.plusSeconds(290)));
  }

  private static String token(JWTClaimsSet.Builder claims) {
    return SIGNER.sign(SIGNER.header(), claims.build());
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(
        json.getBytes(StandardCharsets.UTF_8));
  }

  private static TenantTokenException refused(Reason reason, String token, UserId user) {
    TenantTokenException e = assertThrows(TenantTokenException.class,
        () -> AUTHORITY.authorize(token, user));
    assertEquals(reason, e.reason(), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    if (token != null && token.length() > 20) {
      assertFalse(e.getMessage().contains(token), "echoes the token: " + e.getMessage());
    }
    return e;
  }

  private static TenantTokenException refused(Reason reason, String token) {
    return refused(reason, token, ALICE);
  }

  @Test
  void acceptsAValidToken() throws Exception {
    AUTHORITY.authorize(SIGNER.mint("alice", AUD, NOW, Duration.ofMinutes(5)), ALICE);
    AUTHORITY.authorize(token(claims()), ALICE);
    AUTHORITY.authorize(token(claims().audience(List.of("other", AUD))), ALICE);
    String unicode = "żółw@example";
    AUTHORITY.authorize(SIGNER.mint(unicode, AUD, NOW, Duration.ofSeconds(1)), user(unicode));
  }

  @Test
  void missingAndOversizedTokens() {
    refused(Reason.MISSING, null);
    refused(Reason.MISSING, "");
    String big = token(claims().claim("pad", "x".repeat(TenantAuthority.MAX_TOKEN_CHARS)));
    assertEquals("tenant token is " + big.length() + " characters; expected at most 4096",
        refused(Reason.TOO_LONG, big).getMessage());
  }

  @Test
  void malformedTokens() throws Exception {
    String good = token(claims());
    String[] parts = good.split("\\.");
    refused(Reason.MALFORMED, "not-a-token");
    refused(Reason.MALFORMED, parts[0] + "." + parts[1]);
    refused(Reason.MALFORMED, good + ".extra.part"); // JWE-shaped: 5 parts
    refused(Reason.MALFORMED, "!!!." + parts[1] + "." + parts[2]);
    refused(Reason.MALFORMED, b64("[1,2]") + "." + parts[1] + "." + parts[2]);
    // A signed payload that is not a claims set.
    JWSObject notClaims = new JWSObject(SIGNER.header(), new Payload("hello"));
    notClaims.sign(new ECDSASigner(ECKey.parse(SIGNER.privateJwkJson())));
    refused(Reason.MALFORMED, notClaims.serialize());
    // exp as a string, not a number.
    refused(Reason.MALFORMED, token(claims().claim("exp", "tomorrow")));
    // A critical extension we do not understand.
    JWSHeader crit = new JWSHeader.Builder(JWSAlgorithm.ES256)
        .type(new JOSEObjectType(TenantAuthority.TYPE)).keyID("k1").customParam("bkv-x", 1)
        .criticalParams(new java.util.HashSet<>(Set.of("bkv-x"))).build();
    refused(Reason.MALFORMED, SIGNER.sign(crit, claims().build()));
    // exp not after iat.
    assertTrue(refused(Reason.MALFORMED, token(claims().expirationTime(Date.from(
        NOW.minusSeconds(10))))).getMessage().contains("is not after iat"));
  }

  @Test
  void onlyEs256() throws Exception {
    String payload = b64("{\"sub\":\"alice\",\"aud\":\"" + AUD + "\",\"iat\":"
        + NOW.getEpochSecond() + ",\"exp\":" + (NOW.getEpochSecond() + 60) + "}");
    String none = b64("{\"alg\":\"none\",\"typ\":\"bkv-tenant+jwt\",\"kid\":\"k1\"}");
    assertEquals("tenant token alg is none; expected ES256",
        refused(Reason.BAD_ALGORITHM, none + "." + payload + ".").getMessage());
    refused(Reason.BAD_ALGORITHM, none + "." + payload + ".c2ln");
    refused(Reason.MALFORMED, b64("{\"typ\":\"bkv-tenant+jwt\",\"kid\":\"k1\"}") + "."
        + payload + "."); // no alg at all
    // HS256 keyed with the public key's bytes: the classic algorithm confusion.
    byte[] secret = SIGNER.publicJwkSetJson().getBytes(StandardCharsets.UTF_8);
    SignedJWT hs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256)
        .type(new JOSEObjectType(TenantAuthority.TYPE)).keyID("k1").build(), claims().build());
    hs.sign(new MACSigner(secret));
    assertEquals("tenant token alg is HS256; expected ES256",
        refused(Reason.BAD_ALGORITHM, hs.serialize()).getMessage());
    ECKey p384 = new ECKeyGenerator(Curve.P_384).keyID("k1").generate();
    SignedJWT es384 = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES384)
        .type(new JOSEObjectType(TenantAuthority.TYPE)).keyID("k1").build(), claims().build());
    es384.sign(new ECDSASigner(p384));
    refused(Reason.BAD_ALGORITHM, es384.serialize());
  }

  @Test
  void typMustBeTheTenantType() {
    JWSHeader jwt = new JWSHeader.Builder(SIGNER.header()).type(JOSEObjectType.JWT).build();
    assertEquals("tenant token typ is 'JWT'; expected 'bkv-tenant+jwt'",
        refused(Reason.BAD_TYPE, SIGNER.sign(jwt, claims().build())).getMessage());
    JWSHeader none = new JWSHeader.Builder(SIGNER.header()).type(null).build();
    refused(Reason.BAD_TYPE, SIGNER.sign(none, claims().build()));
  }

  @Test
  void kidMustNameAPinnedKey() {
    TenantSigner other = signer("k2");
    assertEquals("tenant token kid is 'k2'; expected one of [k1]",
        refused(Reason.UNKNOWN_KEY, other.mint("alice", AUD, NOW, Duration.ofMinutes(1)))
            .getMessage());
    JWSHeader noKid = new JWSHeader.Builder(SIGNER.header()).keyID(null).build();
    refused(Reason.UNKNOWN_KEY, SIGNER.sign(noKid, claims().build()));
  }

  @Test
  void signatureMustVerifyUnderThePinnedKey() {
    TenantSigner impostor = signer("k1"); // same kid, another key
    assertEquals("tenant token signature does not verify under pinned key 'k1'",
        refused(Reason.BAD_SIGNATURE, impostor.mint("alice", AUD, NOW, Duration.ofMinutes(1)))
            .getMessage());
    String[] parts = token(claims()).split("\\.");
    String bob = b64("{\"sub\":\"bob\",\"aud\":\"" + AUD + "\",\"iat\":"
        + NOW.getEpochSecond() + ",\"exp\":" + (NOW.getEpochSecond() + 60) + "}");
    refused(Reason.BAD_SIGNATURE, parts[0] + "." + bob + "." + parts[2], user("bob"));
    refused(Reason.MALFORMED, parts[0] + "." + parts[1] + "."); // no signature at all
    refused(Reason.BAD_SIGNATURE, parts[0] + "." + parts[1] + "." + b64("x".repeat(64)));
    // r = s = 0 (the "psychic signature").
    refused(Reason.BAD_SIGNATURE, parts[0] + "." + parts[1] + "."
        + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[64]));
  }

  @Test
  void everyRequiredClaimMustBePresent() {
    for (String claim : new String[] {"sub", "aud", "iat", "exp"}) {
      JWTClaimsSet.Builder b = claims().claim(claim, null);
      assertEquals("tenant token has no '" + claim + "' claim; expected sub, aud, iat and exp",
          refused(Reason.MISSING_CLAIM, token(b)).getMessage());
    }
  }

  @Test
  void subjectAndAudienceMustMatch() {
    assertEquals("tenant token sub is 'bob'; the request is for another user id",
        refused(Reason.WRONG_SUBJECT, token(claims().subject("bob"))).getMessage());
    refused(Reason.WRONG_SUBJECT, token(claims()), user("alice "));
    refused(Reason.WRONG_SUBJECT, token(claims()), new UserId(new byte[] {(byte) 0xff}));
    assertEquals("tenant token aud is [other-fleet]; expected 'test-fleet'",
        refused(Reason.WRONG_AUDIENCE, token(claims().audience("other-fleet"))).getMessage());
  }

  @Test
  void aTokenVerifiedOnceIsStillCheckedForSubjectAudienceAndTimeAtEveryUse() throws Exception {
    dev.bkv.node.testing.ManualClock moving = new dev.bkv.node.testing.ManualClock(NOW);
    TenantAuthority a = new TenantAuthority(SIGNER.publicKeys(), AUD, Duration.ofSeconds(600),
        moving);
    String t = SIGNER.mint("alice", AUD, NOW, Duration.ofMinutes(5));
    a.authorize(t, ALICE);
    a.authorize(t, ALICE);
    TenantTokenException other = assertThrows(TenantTokenException.class,
        () -> a.authorize(t, user("bob")));
    assertEquals(Reason.WRONG_SUBJECT, other.reason(), other.getMessage());
    moving.set(NOW.plusSeconds(5 * 60 + 31));
    TenantTokenException late = assertThrows(TenantTokenException.class,
        () -> a.authorize(t, ALICE));
    assertEquals(Reason.EXPIRED, late.reason(), late.getMessage());
    // A token differing in one signature character is verified on its own, and fails.
    moving.set(NOW);
    char last = t.charAt(t.length() - 2);
    String forged = t.substring(0, t.length() - 2) + (last == 'A' ? 'B' : 'A')
        + t.charAt(t.length() - 1);
    TenantTokenException bad = assertThrows(TenantTokenException.class,
        () -> a.authorize(forged, ALICE));
    assertEquals(Reason.BAD_SIGNATURE, bad.reason(), bad.getMessage());
  }

  @Test
  void expiryWithClockSkew() throws Exception {
    Instant exp = NOW.minusSeconds(30);
    String t = token(claims().issueTime(Date.from(exp.minusSeconds(60)))
        .expirationTime(Date.from(exp)));
    assertEquals("tenant token expired at 2026-12-07T09:59:30Z (now 2026-12-07T10:00:00Z, "
        + "skew 30 s)", refused(Reason.EXPIRED, t).getMessage());
    assertDoesNotThrow(() -> authority(NOW.minusSeconds(1)).authorize(t, ALICE));
  }

  @Test
  void notBeforeAndIssuedInTheFutureWithClockSkew() {
    String nbf = token(claims().notBeforeTime(Date.from(NOW.plusSeconds(31))));
    assertEquals("tenant token is valid from 2026-12-07T10:00:31Z (nbf); now is "
        + "2026-12-07T10:00:00Z, skew 30 s", refused(Reason.NOT_YET_VALID, nbf).getMessage());
    assertDoesNotThrow(() -> authority(NOW.plusSeconds(1)).authorize(nbf, ALICE));
    String iat = token(claims().issueTime(Date.from(NOW.plusSeconds(31)))
        .expirationTime(Date.from(NOW.plusSeconds(90))));
    assertTrue(refused(Reason.NOT_YET_VALID, iat).getMessage().contains("(iat)"));
    assertDoesNotThrow(() -> AUTHORITY.authorize(token(claims().issueTime(Date.from(
        NOW.plusSeconds(30))).expirationTime(Date.from(NOW.plusSeconds(90)))), ALICE));
  }

  @Test
  void lifetimeIsBounded() {
    String tooLong = SIGNER.mint("alice", AUD, NOW, Duration.ofSeconds(601));
    assertEquals("tenant token lives 601 s from iat to exp; expected at most 600 s "
        + "(node.tenant.max-ttl-s)", refused(Reason.LIFETIME_TOO_LONG, tooLong).getMessage());
    assertDoesNotThrow(() -> AUTHORITY.authorize(
        SIGNER.mint("alice", AUD, NOW, Duration.ofSeconds(600)), ALICE));
  }

  @Test
  void rotationAcceptsEveryPinnedKid() throws Exception {
    TenantSigner next = signer("k2");
    String set = "{\"keys\":[" + SIGNER.publicKeys().byKid().get("k1").toJSONString() + ","
        + next.publicKeys().byKid().get("k2").toJSONString() + "]}";
    TenantAuthority both = new TenantAuthority(TenantKeys.parse("set", set), AUD,
        Duration.ofMinutes(10), Clock.fixed(NOW, ZoneOffset.UTC));
    assertAll(
        () -> both.authorize(SIGNER.mint("alice", AUD, NOW, Duration.ofMinutes(1)), ALICE),
        () -> both.authorize(next.mint("alice", AUD, NOW, Duration.ofMinutes(1)), ALICE));
  }

  @Test
  void oneAuthorityServesConcurrentCallers() throws Exception {
    String good = SIGNER.mint("alice", AUD, NOW, Duration.ofMinutes(5));
    String forged = signer("k1").mint("alice", AUD, NOW, Duration.ofMinutes(5));
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors
        .newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        results.add(pool.submit(() -> {
          int accepted = 0;
          for (int i = 0; i < 100; i++) {
            AUTHORITY.authorize(good, ALICE);
            accepted++;
            TenantTokenException e = assertThrows(TenantTokenException.class,
                () -> AUTHORITY.authorize(forged, ALICE));
            assertEquals(Reason.BAD_SIGNATURE, e.reason());
          }
          return accepted;
        }));
      }
      for (java.util.concurrent.Future<Integer> f : results) {
        assertEquals(100, f.get(60, java.util.concurrent.TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
