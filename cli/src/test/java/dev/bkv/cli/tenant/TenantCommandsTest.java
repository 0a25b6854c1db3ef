package dev.bkv.cli.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bkv.cli.CliRun;
import dev.bkv.node.store.UserId;
import dev.bkv.node.tenant.TenantAuthority;
import dev.bkv.node.tenant.TenantKeys;
import dev.bkv.node.tenant.TenantTokenException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TenantCommandsTest {
  private static final String NOW = "2026-12-07T10:00:00Z";

  @TempDir Path dir;

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  private Path keygen(String kid) {
    CliRun r = run("tenant", "keygen", "--out", dir.toString(), "--kid", kid);
    assertEquals(0, r.exitCode(), r.toString());
    return dir.resolve("tenant-private.jwk");
  }

  private static TenantAuthority authority(Path keys, Instant now) throws Exception {
    return new TenantAuthority(TenantKeys.load(keys), "demo", Duration.ofMinutes(10),
        Clock.fixed(now, ZoneOffset.UTC));
  }

  @Test
  void keygenWritesAPrivateKeyOnlyItsOwnerReadsAndAPublicSetToPin() throws Exception {
    CliRun r = run("tenant", "keygen", "--out", dir.toString(), "--kid", "backend-1");
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().startsWith("kid backend-1\n"), r.out());
    Path priv = dir.resolve("tenant-private.jwk");
    Path pub = dir.resolve("tenant-keys.json");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(priv)));
    assertTrue(Files.readString(priv).contains("\"d\""));
    assertFalse(Files.readString(pub).contains("\"d\""));
    assertEquals(List.of("backend-1"), List.copyOf(TenantKeys.load(pub).kids()));

    CliRun again = run("tenant", "keygen", "--out", dir.toString());
    assertEquals(3, again.exitCode(), again.toString());
    assertEquals("bkv: " + priv + " exists; refusing to overwrite a tenant key (choose another "
        + "--out)\n", again.err());
  }

  @Test
  void keygenNamesTheKeyByItsThumbprintByDefault() throws Exception {
    CliRun r = run("tenant", "keygen", "--out", dir.toString(), "--json");
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode j = new ObjectMapper().readTree(r.out());
    String kid = j.get("kid").asText();
    assertEquals(43, kid.length(), kid); // base64url SHA-256
    assertEquals(dir.resolve("tenant-keys.json").toString(), j.get("public_keys").asText());
    assertEquals(List.of(kid), List.copyOf(TenantKeys.load(dir.resolve("tenant-keys.json"))
        .kids()));
  }

  @Test
  void tokenPrintsAVerifiableTokenForTheUser() throws Exception {
    Path key = keygen("k1");
    CliRun r = run("tenant", "token", "--key", key.toString(), "--user", "alice",
        "--ttl", "5m", "--audience", "demo", "--now", NOW);
    assertEquals(0, r.exitCode(), r.toString());
    String token = r.out().strip();
    assertEquals(token + "\n", r.out());
    assertEquals(3, token.split("\\.").length);
    Path pub = dir.resolve("tenant-keys.json");
    UserId alice = new UserId("alice".getBytes(StandardCharsets.UTF_8));
    authority(pub, Instant.parse(NOW).plusSeconds(60)).authorize(token, alice);
    TenantTokenException late = assertThrows(TenantTokenException.class,
        () -> authority(pub, Instant.parse(NOW).plusSeconds(331)).authorize(token, alice));
    assertEquals(TenantTokenException.Reason.EXPIRED, late.reason());

    CliRun j = run("tenant", "token", "--key", key.toString(), "--user", "alice",
        "--ttl", "PT90S", "--audience", "demo", "--now", NOW, "--json");
    assertEquals(0, j.exitCode(), j.toString());
    JsonNode n = new ObjectMapper().readTree(j.out());
    assertEquals("k1", n.get("kid").asText());
    assertEquals(Instant.parse(NOW).getEpochSecond() + 90, n.get("exp").asLong());
    authority(pub, Instant.parse(NOW)).authorize(n.get("token").asText(), alice);
  }

  @Test
  void tokenErrorsAreOneLineWithDocumentedExitCodes() throws Exception {
    Path key = keygen("k1");
    Path missing = dir.resolve("nope.jwk");
    CliRun noFile = run("tenant", "token", "--key", missing.toString(), "--user", "alice",
        "--ttl", "5m", "--audience", "demo");
    assertEquals(3, noFile.exitCode(), noFile.toString());
    assertTrue(noFile.err().startsWith("bkv: cannot read tenant key file " + missing), noFile.err());

    Path pub = dir.resolve("tenant-keys.json");
    CliRun set = run("tenant", "token", "--key", pub.toString(), "--user", "alice",
        "--ttl", "5m", "--audience", "demo");
    assertEquals(3, set.exitCode(), set.toString());
    assertEquals("bkv: " + pub + " is a JWK Set of public keys (tenant-keys.json, for members); "
        + "minting needs the private JWK (tenant-private.jwk)\n", set.err());

    Path onePublic = dir.resolve("one-public.jwk");
    String publicJwk = new ObjectMapper().readTree(Files.readString(pub)).get("keys").get(0)
        .toString();
    Files.writeString(onePublic, publicJwk);
    CliRun pubKey = run("tenant", "token", "--key", onePublic.toString(), "--user", "alice",
        "--ttl", "5m", "--audience", "demo");
    assertEquals(3, pubKey.exitCode(), pubKey.toString());
    assertEquals("bkv: " + onePublic + " holds the public key 'k1'; minting needs the private "
        + "JWK (tenant-private.jwk)\n", pubKey.err());

    CliRun ttl = run("tenant", "token", "--key", key.toString(), "--user", "alice",
        "--ttl", "soon", "--audience", "demo");
    assertEquals(2, ttl.exitCode(), ttl.toString());
    assertEquals("bkv: --ttl 'soon' is not a duration such as 90s, 5m, 12h, 30d or PT5M\n",
        ttl.err());

    CliRun zero = run("tenant", "token", "--key", key.toString(), "--user", "alice",
        "--ttl", "0s", "--audience", "demo");
    assertEquals(2, zero.exitCode(), zero.toString());

    CliRun longUser = run("tenant", "token", "--key", key.toString(), "--user", "x".repeat(256),
        "--ttl", "5m", "--audience", "demo");
    assertEquals(2, longUser.exitCode(), longUser.toString());
    assertEquals("bkv: --user is 256 bytes of UTF-8; expected 1..255\n", longUser.err());

    CliRun noAudience = run("tenant", "token", "--key", key.toString(), "--user", "alice",
        "--ttl", "5m");
    assertEquals(2, noAudience.exitCode(), noAudience.toString());
    assertTrue(noAudience.err().contains("--audience"), noAudience.err());
  }
}
