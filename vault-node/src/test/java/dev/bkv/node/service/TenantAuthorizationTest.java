package dev.bkv.node.service;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.client.RejectedException;
import dev.bkv.client.TenantTokens;
import dev.bkv.client.VaultClient;
import dev.bkv.client.WrongPasswordException;
import dev.bkv.node.tenant.TenantSigner;
import dev.bkv.recovery.SecretBytes;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;

/**
 * Tenant authorization against three member processes (DESIGN §9): register, recover (which
 * returns the audit trail), delete and change password, each without a token, with another
 * user's token, with an expired token and with a token from a key the members do not pin, are
 * refused with UNAUTHENTICATED naming the rule, and leave no trace: no record written or
 * removed, no attempt counted, no OPRF evaluation in any member's evaluation log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantAuthorizationTest {
  private final SecureRandom rng = new SecureRandom();
  private VaultFleet fleet;
  private VaultClient honest;

  @BeforeAll
  void start() throws Exception {
    fleet = new VaultFleet("tenant-auth");
    fleet.startAll();
    honest = fleet.client(fleet.ids());
  }

  @AfterAll
  void stop() throws Exception {
    if (honest != null) {
      honest.close();
    }
    if (fleet != null) {
      fleet.close();
    }
  }

  private SecretBytes randomKey() {
    byte[] k = new byte[32];
    rng.nextBytes(k);
    return SecretBytes.copyOf(k);
  }

  /** Each kind of bad token, and the words the refusal must contain. */
  private Map<String, TenantTokens> badTokens() throws Exception {
    TenantSigner stranger = TenantSigner.generate("test-tenant", rng);
    Map<String, TenantTokens> m = new LinkedHashMap<>();
    m.put("no tenant token", user -> "");
    m.put("another user id", user -> fleet.tenant().mint("someone-else", VaultFleet.FLEET,
        Instant.now(), Duration.ofMinutes(5)));
    m.put("expired", user -> fleet.tenant().mint(new String(user, UTF_8), VaultFleet.FLEET,
        Instant.now().minus(Duration.ofHours(1)), Duration.ofMinutes(5)));
    m.put("signature does not verify", user -> stranger.mint(new String(user, UTF_8), VaultFleet.FLEET,
        Instant.now(), Duration.ofMinutes(5)));
    return m;
  }

  private long evaluationLines() throws Exception {
    long n = 0;
    for (String id : fleet.ids()) {
      n += fleet.evaluationLines(id).size();
    }
    return n;
  }

  @Test
  void everyOperationNeedsAValidTokenForItsUser() throws Exception {
    byte[] user = "tess".getBytes(UTF_8);
    byte[] newcomer = "nora".getBytes(UTF_8);
    SecretBytes key = randomKey();
    honest.register(user, "pw".getBytes(UTF_8), key);
    assertEquals(9, assertThrows(WrongPasswordException.class,
        () -> honest.recover(user, "guess".getBytes(UTF_8))).attemptsLeft());
    long before = evaluationLines();
    List<String> seen = new ArrayList<>();
    for (Map.Entry<String, TenantTokens> bad : badTokens().entrySet()) {
      try (VaultClient c = fleet.client(fleet.ids(), Duration.ofSeconds(20), bad.getValue())) {
        Map<String, Executable> ops = new LinkedHashMap<>();
        ops.put("register", () -> c.register(newcomer, "pw".getBytes(UTF_8), randomKey()));
        ops.put("recover", () -> c.recoverWithAudit(user, "pw".getBytes(UTF_8)));
        ops.put("delete", () -> c.delete(user, "pw".getBytes(UTF_8)));
        ops.put("change-password", () -> c.changePassword(user, "pw".getBytes(UTF_8),
            "other".getBytes(UTF_8)));
        for (Map.Entry<String, Executable> op : ops.entrySet()) {
          RejectedException e = assertThrows(RejectedException.class, op.getValue(),
              op.getKey() + " with " + bad.getKey());
          assertEquals("UNAUTHENTICATED", e.code(), e.getMessage());
          assertTrue(e.getMessage().contains(bad.getKey()), op.getKey() + ": " + e.getMessage());
          seen.add(op.getKey() + "/" + bad.getKey());
        }
      }
    }
    assertEquals(16, seen.size());
    assertEquals(before, evaluationLines(), "no OPRF evaluation on any member");
    // Nothing committed: tess still has 9 attempts left after one more wrong guess (8), her key
    // and password are unchanged, and nora's id is free.
    assertEquals(8, assertThrows(WrongPasswordException.class,
        () -> honest.recover(user, "guess".getBytes(UTF_8))).attemptsLeft());
    assertTrue(key.equalsConstantTime(honest.recover(user, "pw".getBytes(UTF_8))));
    honest.register(newcomer, "pw".getBytes(UTF_8), randomKey());
  }
}
