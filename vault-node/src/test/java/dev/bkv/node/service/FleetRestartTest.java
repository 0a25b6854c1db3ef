package dev.bkv.node.service;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.client.LockedException;
import dev.bkv.client.VaultClient;
import dev.bkv.client.WrongPasswordException;
import dev.bkv.recovery.SecretBytes;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/**
 * Stopping and restarting the whole fleet keeps every record, attempt counter and lockout; the
 * members find their fleet keys on their tokens again.
 */
class FleetRestartTest {
  @Test
  void recordsCountersAndLockoutsSurviveAFullRestart() throws Exception {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    SecretBytes key = SecretBytes.copyOf(k);
    try (VaultFleet fleet = new VaultFleet("fleet-restart")) {
      fleet.startAll();
      try (VaultClient c = fleet.client(fleet.ids())) {
        c.register("kept".getBytes(UTF_8), "pw".getBytes(UTF_8), key);
        for (int i = 0; i < 3; i++) {
          assertThrows(WrongPasswordException.class,
              () -> c.recover("kept".getBytes(UTF_8), "no".getBytes(UTF_8)));
        }
        c.register("gone".getBytes(UTF_8), "pw".getBytes(UTF_8), key);
        for (int i = 0; i < 11; i++) {
          try {
            c.recover("gone".getBytes(UTF_8), "no".getBytes(UTF_8));
          } catch (WrongPasswordException | LockedException expected) {
            // counting down to the lockout
          }
        }
      }
      for (String id : fleet.ids()) {
        fleet.stop(id);
      }
      fleet.startAll();
      try (VaultClient c = fleet.client(fleet.ids())) {
        assertEquals(6, assertThrows(WrongPasswordException.class,
            () -> c.recover("kept".getBytes(UTF_8), "no".getBytes(UTF_8))).attemptsLeft(),
            "3 earlier wrong guesses + this one");
        assertTrue(key.equalsConstantTime(c.recover("kept".getBytes(UTF_8),
            "pw".getBytes(UTF_8))));
        assertThrows(LockedException.class,
            () -> c.recover("gone".getBytes(UTF_8), "pw".getBytes(UTF_8)));
      }
      assertTrue(fleet.checkTokens() >= 4 * fleet.ids().size(),
          "every member's fleet keys were inventoried");
    }
  }
}
