package dev.bkv.node.raft;

import static org.junit.jupiter.api.Assertions.*;

import dev.bkv.node.store.ClosureReceipts;
import dev.bkv.node.store.UserId;
import dev.bkv.node.testing.TestRaftTrust;
import dev.bkv.node.trust.MemberCredential;
import dev.bkv.node.trust.MemberRoster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check every replica of the next epoch applies to an activation (DESIGN §11), with real
 * Raft credentials: only a majority of the earlier roster, signing exactly this closure, proves
 * it. A minority of compromised hosts, or anyone outside the roster, proves nothing.
 */
class PredecessorFleetTest {
  @TempDir static Path dir;
  static TestRaftTrust trust;
  static TestRaftTrust outsiders;
  static PredecessorFleet fleet;
  static final UserId USER = new UserId("ann".getBytes(StandardCharsets.UTF_8));
  static final byte[] SUCCESSOR = filled(7);

  @BeforeAll
  static void roster() throws Exception {
    trust = TestRaftTrust.create(dir.resolve("e1"), List.of("m1", "m2", "m3"));
    outsiders = TestRaftTrust.create(dir.resolve("other"), List.of("m1", "m2", "m3"));
    fleet = new PredecessorFleet("f", 1, MemberRoster.load(trust.roster()));
  }

  static byte[] filled(int v) {
    byte[] b = new byte[32];
    Arrays.fill(b, (byte) v);
    return b;
  }

  static ClosureReceipts.Receipt receipt(TestRaftTrust t, String id, String fleetId, long epoch,
      byte[] successor, int attempts) throws Exception {
    MemberCredential c = MemberCredential.load(t.files(id).cert(), t.files(id).key());
    return new ClosureReceipts.Receipt(id, c.sign(ClosureReceipts.message(fleetId, epoch, USER,
        successor, attempts)));
  }

  static ClosureReceipts.Receipt good(String id) throws Exception {
    return receipt(trust, id, "f", 1, SUCCESSOR, 2);
  }

  @Test
  void aMajorityOfTheRosterSigningThisClosureProvesIt() throws Exception {
    assertTrue(fleet.proves(USER, SUCCESSOR, 2, List.of(good("m1"), good("m3"))));
    assertTrue(fleet.proves(USER, SUCCESSOR, 2, List.of(good("m1"), good("m2"), good("m3"))));
  }

  @Test
  void aMinorityOrOneMemberTwiceProvesNothing() throws Exception {
    assertFalse(fleet.proves(USER, SUCCESSOR, 2, List.of(good("m2"))));
    assertFalse(fleet.proves(USER, SUCCESSOR, 2, List.of(good("m2"), good("m2"))),
        "one member's receipts count once");
    ClosureReceipts.Receipt m2 = good("m2");
    assertFalse(fleet.proves(USER, SUCCESSOR, 2, List.of(m2,
        new ClosureReceipts.Receipt("m1", m2.signature()))), "m2's signature named as m1's");
  }

  @Test
  void signaturesOverAnotherClosureOrByOutsidersProveNothing() throws Exception {
    List<ClosureReceipts.Receipt> fewerAttempts = List.of(receipt(trust, "m1", "f", 1, SUCCESSOR,
        0), receipt(trust, "m2", "f", 1, SUCCESSOR, 0));
    assertFalse(fleet.proves(USER, SUCCESSOR, 2, fewerAttempts),
        "a closure signed with other attempts does not carry these");
    assertFalse(fleet.proves(USER, filled(8), 0, List.of(good("m1"), good("m2"))),
        "receipts for another successor");
    assertFalse(fleet.proves(new UserId("bob".getBytes(StandardCharsets.UTF_8)), SUCCESSOR, 2,
        List.of(good("m1"), good("m2"))), "receipts for another user");
    assertFalse(fleet.proves(USER, SUCCESSOR, 2, List.of(receipt(trust, "m1", "f", 2, SUCCESSOR,
        2), receipt(trust, "m2", "f", 2, SUCCESSOR, 2))), "receipts of another epoch");
    assertFalse(fleet.proves(USER, SUCCESSOR, 2, List.of(receipt(outsiders, "m1", "f", 1,
        SUCCESSOR, 2), receipt(outsiders, "m2", "f", 1, SUCCESSOR, 2))),
        "keys outside the roster, under the roster's member ids");
    assertFalse(fleet.proves(USER, SUCCESSOR, 2, List.of(new ClosureReceipts.Receipt("m9",
        good("m1").signature()), good("m1"))), "an id outside the roster");
  }
}
