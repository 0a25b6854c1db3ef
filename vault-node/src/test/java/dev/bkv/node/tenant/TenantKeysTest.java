package dev.bkv.node.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TenantKeysTest {
  private static final SecureRandom RNG = new SecureRandom();

  private static String message(String json) {
    return assertThrows(TenantKeyException.class, () -> TenantKeys.parse("keys.json", json))
        .getMessage();
  }

  private static String set(String... keys) {
    return "{\"keys\":[" + String.join(",", keys) + "]}";
  }

  @Test
  void loadsThePublicSetKeygenWrites(@TempDir Path dir) throws Exception {
    TenantSigner a = TenantSigner.generate("2026-a", RNG);
    Path file = dir.resolve("tenant-keys.json");
    Files.writeString(file, a.publicJwkSetJson());
    assertEquals(List.of("2026-a"), List.copyOf(TenantKeys.load(file).kids()));
  }

  @Test
  void refusesPrivateKeys() throws Exception {
    TenantSigner a = TenantSigner.generate("a", RNG);
    String m = message(set(a.privateJwkJson()));
    assertEquals("tenant key file keys.json holds a private key (kid 'a'); pin only the public "
        + "JWK Set (tenant-keys.json), and keep tenant-private.jwk with the app backend", m);
    assertTrue(message(a.privateJwkJson()).contains("holds a private key (kid 'a')"));
  }

  @Test
  void refusesKeysOtherThanP256() throws Exception {
    String p384 = new ECKeyGenerator(Curve.P_384).keyID("big").generate().toPublicJWK()
        .toJSONString();
    assertEquals("tenant key #0 in keys.json is on curve P-384; expected P-256 (ES256)",
        message(set(p384)));
    String rsa = new RSAKeyGenerator(2048).keyID("r").generate().toPublicJWK().toJSONString();
    assertEquals("tenant key #0 in keys.json has kty RSA; expected EC (P-256)", message(set(rsa)));
    // RFC 8037 appendix A.2.
    String ed = "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"e\","
        + "\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}";
    assertEquals("tenant key #0 in keys.json has kty OKP; expected EC (P-256)", message(set(ed)));
    assertTrue(message(set("{\"kty\":\"XYZ\",\"kid\":\"q\"}")).startsWith(
        "tenant key #0 in keys.json is not a valid JWK"));
  }

  @Test
  void refusesSetsThatCannotBePinned() throws Exception {
    String k = new ECKeyGenerator(Curve.P_256).keyID("k").generate().toPublicJWK()
        .toJSONString();
    String noKid = new ECKeyGenerator(Curve.P_256).generate().toPublicJWK().toJSONString();
    String enc = new ECKeyGenerator(Curve.P_256).keyID("e").keyUse(KeyUse.ENCRYPTION).generate()
        .toPublicJWK().toJSONString();
    assertEquals("tenant key file keys.json has kid 'k' twice; expected distinct kids",
        message(set(k, k)));
    assertEquals("tenant key #1 in keys.json has no kid; every pinned key needs one",
        message(set(k, noKid)));
    assertEquals("tenant key #0 in keys.json (kid 'e') has use 'enc'; expected sig",
        message(set(enc)));
    assertEquals("tenant key file keys.json holds no keys; expected at least one public EC "
        + "P-256 key", message(set()));
    assertTrue(message(k).contains("has no \"keys\" member"));
    assertTrue(message("not json").startsWith("tenant key file keys.json is not a JSON object"));
    assertTrue(message("{\"keys\":[1]}").contains("#0 in keys.json is not a JSON object"));
  }

  @Test
  void aMissingFileIsNamed(@TempDir Path dir) {
    Path missing = dir.resolve("nope.json");
    String m = assertThrows(TenantKeyException.class, () -> TenantKeys.load(missing))
        .getMessage();
    assertTrue(m.startsWith("cannot read tenant key file " + missing), m);
  }
}
