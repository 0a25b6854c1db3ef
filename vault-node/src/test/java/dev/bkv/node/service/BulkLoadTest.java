package dev.bkv.node.service;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.client.VaultClient;
import dev.bkv.client.WrongPasswordException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scale benchmark's bulk path gives a state Raft agrees with: records loaded into stopped
 * members are recovered through real member processes afterwards, a wrong password still
 * counts as one, and a record Raft wrote before the load is still there.
 */
class BulkLoadTest {
  @Test
  void bulkLoadedRecordsAreRecoveredThroughTheFleet() throws Exception {
    try (VaultFleet fleet = new VaultFleet("bulk")) {
      fleet.startAll();
      try (VaultClient c = fleet.client(fleet.ids())) {
        c.register("before".getBytes(UTF_8), "pw".getBytes(UTF_8), BulkLoad.backupKey(-1));
      }
      BulkLoad.load(fleet, 0, 1_000, 2);
      try (VaultClient c = fleet.client(fleet.ids())) {
        for (long u : List.of(0L, 417L, 999L)) {
          assertTrue(c.recover(BulkLoad.user(u).bytes(), BulkLoad.password(u))
              .equalsConstantTime(BulkLoad.backupKey(u)), "bulk-" + u);
        }
        assertThrows(WrongPasswordException.class,
            () -> c.recover(BulkLoad.user(5).bytes(), "wrong".getBytes(UTF_8)));
        assertTrue(c.recover("before".getBytes(UTF_8), "pw".getBytes(UTF_8))
            .equalsConstantTime(BulkLoad.backupKey(-1)));
      }
    }
  }
}
