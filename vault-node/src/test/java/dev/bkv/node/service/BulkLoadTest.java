package dev.bkv.node.service;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.client.VaultClient;
import dev.bkv.client.WrongPasswordException;
import dev.bkv.node.store.RecordStore;
import dev.bkv.node.store.UserId;
import dev.bkv.node.store.UserRecord;
import dev.bkv.node.store.UserState;
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
      // The same record format as a registration through the members' HSMs, share for share.
      fleet.stop("m1");
      try (RecordStore s = RecordStore.open(BulkLoad.stateMachineDir(fleet.dir("m1")
          .resolve("data")).resolve("db"), RecordStore.DEFAULT_AUDIT_CAPACITY)) {
        UserRecord real = ((UserState.Present) s.get(new UserId("before".getBytes(UTF_8))))
            .record();
        UserRecord bulk = ((UserState.Present) s.get(BulkLoad.user(3))).record();
        assertEquals(real.shares().shares().stream().map(x -> x.set() + ":"
            + x.wrapped().length).toList(), bulk.shares().shares().stream().map(x -> x.set()
            + ":" + x.wrapped().length).toList());
        assertEquals(real.registrationRecord().length, bulk.registrationRecord().length);
        assertEquals(real.sealedKey().length, bulk.sealedKey().length);
      }
    }
  }
}
