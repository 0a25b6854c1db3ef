package dev.bkv.node.service;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.client.AuditEvent;
import dev.bkv.client.RecoveredKey;
import dev.bkv.client.UnavailableException;
import dev.bkv.client.VaultClient;
import dev.bkv.client.WrongPasswordException;
import dev.bkv.recovery.SecretBytes;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Writes whose reply is lost. Every member waits 8 s after a registration or password change has
 * written its record, before answering (the test-only {@code bkv.test.delay-after-write-ms},
 * which {@link TestMember} passes to the service as {@link ServiceHooks}), and the client gives
 * up on a call after 3 s: the write takes effect, the client sees a timeout and retries at the
 * next member. The retry must report the write as done.
 */
class LostReplyTest {
  private final SecureRandom rng = new SecureRandom();

  private SecretBytes randomKey() {
    byte[] k = new byte[32];
    rng.nextBytes(k);
    return SecretBytes.copyOf(k);
  }

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  private static List<String> kinds(RecoveredKey r) {
    return r.audit().stream().map(AuditEvent::kind).toList();
  }

  @Test
  void registrationAndPasswordChangeWhoseReplyIsLostAreDoneOnRetry() throws Exception {
    VaultFleet.Options options = new VaultFleet.Options(3, false,
        List.of("-Dbkv.test.delay-after-write-ms=8000"), 500);
    Duration callTimeout = Duration.ofMillis(3000);
    try (VaultFleet fleet = new VaultFleet("lost-reply", options)) {
      fleet.startAll();
      try (VaultClient m1 = fleet.client(List.of("m1"), callTimeout);
          VaultClient all = fleet.client(fleet.ids(), callTimeout)) {
        // With one member to try, the client only sees the timeout, yet the record is stored.
        SecretBytes ivan = randomKey();
        assertThrows(UnavailableException.class, () -> m1.register(b("ivan"), b("pw-i"), ivan));
        assertTrue(ivan.equalsConstantTime(all.recover(b("ivan"), b("pw-i"))),
            "the registration took effect although its reply was lost");

        // The first member stores and stalls; the retry at the next member carries the same
        // registration id and is answered as done (before registration ids: ALREADY_EXISTS).
        SecretBytes judy = randomKey();
        all.register(b("judy"), b("old-j"), judy);
        RecoveredKey first = all.recoverWithAudit(b("judy"), b("old-j"));
        assertTrue(judy.equalsConstantTime(first.backupKey()));
        assertEquals(List.of("REGISTER", "ATTEMPT", "SUCCESS"), kinds(first),
            "one registration was stored");

        // The serving member replaces the record and stalls; the retry's login with the old
        // password fails at the next member; the new password opens the record, so the
        // change is reported as done.
        all.changePassword(b("judy"), b("old-j"), b("new-j"));
        RecoveredKey after = all.recoverWithAudit(b("judy"), b("new-j"));
        assertTrue(judy.equalsConstantTime(after.backupKey()));
        assertEquals(List.of("REGISTER", "ATTEMPT", "SUCCESS", "ATTEMPT", "SUCCESS",
            "PASSWORD_CHANGE", "ATTEMPT", "ATTEMPT", "SUCCESS", "ATTEMPT", "SUCCESS"),
            kinds(after), "login, change, the retry's failed login, the confirming login, "
                + "then this recovery");
        assertEquals(1, after.audit().get(after.audit().size() - 2).attemptsUsed(),
            "this recovery's attempt is the only one counted: the confirming login reset the "
                + "attempt the retry cost");
        assertThrows(WrongPasswordException.class, () -> all.recover(b("judy"), b("old-j")));
      }
      assertTrue(fleet.checkTokens() >= 4 * fleet.ids().size());
    }
  }
}
