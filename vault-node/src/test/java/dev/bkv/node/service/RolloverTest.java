package dev.bkv.node.service;

import static org.junit.jupiter.api.Assertions.*;

import dev.bkv.client.Endpoint;
import dev.bkv.client.LockedException;
import dev.bkv.client.MigrationSteps;
import dev.bkv.client.VaultClient;
import dev.bkv.client.VaultClientException;
import dev.bkv.client.WrongPasswordException;
import dev.bkv.recovery.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A rollover with real member processes (DESIGN §11): fleet epoch 1 serves registered users,
 * epoch 2 is started beside it (its members accept migrations from epoch 1's roster), and a
 * client that knows both moves each user within its recover — while members of both fleets are
 * killed. At every point a user recovers from one epoch or the other, never holds two live
 * records, and never gets more guesses than the attempt limit across both.
 */
class RolloverTest {
  static VaultFleet epoch1;
  static VaultFleet epoch2;
  static VaultClient old;
  static VaultClient next;
  static VaultClient migrating;
  static final SecureRandom RNG = new SecureRandom();

  @BeforeAll
  static void start() throws Exception {
    epoch1 = new VaultFleet("rollover-e1");
    epoch2 = new VaultFleet("rollover-e2");
    for (String id : epoch2.ids()) {
      epoch2.setConfig(id, "node.epoch", "2");
      epoch2.setConfig(id, "node.migration.from.fleet-id", VaultFleet.FLEET);
      epoch2.setConfig(id, "node.migration.from.epoch", "1");
      epoch2.setConfig(id, "node.migration.from.roster",
          epoch1.raftTrust().roster().toString());
      // one app backend mints tokens for both fleets; one CA issues both fleets' API certificates
      epoch2.setConfig(id, "node.tenant.keys", epoch1.tenantKeys().toString());
      epoch2.setConfig(id, "node.tls.cert", epoch1.tlsCert(id).toString());
      epoch2.setConfig(id, "node.tls.key", epoch1.tlsKey(id).toString());
    }
    epoch1.startAll();
    epoch2.startAll();
    Path cas = epoch1.caPem();
    old = epoch1.client(epoch1.ids());
    next = client(epoch2, List.of(), cas);
    migrating = client(epoch2, epoch1.ids(), cas);
  }

  static VaultClient client(VaultFleet current, List<String> previous, Path cas)
      throws Exception {
    VaultClient.Builder b = VaultClient.builder()
        .endpoints(current.ids().stream().map(current::endpoint).toList())
        .trustAnchor(current.pinnedKey()).trustedCa(cas).tenantTokens(epoch1.tenantTokens())
        .suite(VaultFleet.suite()).callTimeout(Duration.ofSeconds(20));
    if (!previous.isEmpty()) {
      List<Endpoint> es = previous.stream().map(epoch1::endpoint).toList();
      b.previousFleet(es, epoch1.pinnedKey());
    }
    return b.build();
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {migrating, next, old, epoch2, epoch1}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // best effort
      }
    }
  }

  static byte[] user(String name) {
    return name.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] pw(String name) {
    return ("pw-" + name).getBytes(StandardCharsets.UTF_8);
  }

  static SecretBytes registerOnEpoch1(String name) throws Exception {
    byte[] k = new byte[32];
    RNG.nextBytes(k);
    SecretBytes key = SecretBytes.copyOf(k);
    old.register(user(name), pw(name), key);
    return key;
  }

  /** Whether {@code client} recovers {@code name}'s key (false on a wrong password). */
  static boolean recovers(VaultClient client, String name, SecretBytes key) throws Exception {
    SecretBytes got;
    try {
      got = client.recover(user(name), pw(name));
    } catch (WrongPasswordException e) {
      return false;
    }
    assertTrue(got.equalsConstantTime(key), name + ": recovered a different key");
    got.destroy();
    return true;
  }

  @Test
  void aRecoverMovesTheUserToTheNewEpoch() throws Exception {
    SecretBytes key = registerOnEpoch1("ann");
    assertFalse(recovers(next, "ann", key), "not on epoch 2 before the move");
    assertTrue(recovers(migrating, "ann", key));
    assertFalse(recovers(old, "ann", key), "closed on epoch 1 after the move");
    assertTrue(recovers(next, "ann", key), "live on epoch 2 after the move");
    assertTrue(recovers(migrating, "ann", key), "and found there next time");
  }

  @Test
  void aMoveInterruptedAfterTheCloseIsFinishedByTheNextRecover() throws Exception {
    SecretBytes key = registerOnEpoch1("bob");
    SecretBytes got = MigrationSteps.closeWithoutActivating(migrating, user("bob"),
        pw("bob")).backupKey();
    assertTrue(got.equalsConstantTime(key));
    assertFalse(recovers(old, "bob", key), "closed on epoch 1");
    assertFalse(recovers(next, "bob", key), "staged on epoch 2: it answers no login yet");
    assertTrue(recovers(migrating, "bob", key), "the receipts finish the move");
    assertTrue(recovers(next, "bob", key));
    assertFalse(recovers(old, "bob", key));
  }

  /**
   * The attacker of DESIGN §9/§10: one member host of each epoch, with its Raft credential. It
   * stages a record of its own for a victim on epoch 2 and forges the activation with the only
   * receipt it can sign (its epoch-1 member's); every replica refuses it (UNPROVEN) and the
   * record stays staged. The same command with a second epoch-1 member's receipt (a majority)
   * would go through: the receipt check is what refuses.
   */
  @Test
  void aCompromisedMemberOfEachEpochCannotActivateAStagedRecordAlone() throws Exception {
    dev.bkv.node.store.UserId victim = new dev.bkv.node.store.UserId(user("dora"));
    byte[] successor = new byte[32];
    RNG.nextBytes(successor);
    try (dev.bkv.node.raft.ReplicatedStore m1OfEpoch2 =
        new dev.bkv.node.raft.ReplicatedStore(epoch2.raftClientConfig())) {
      dev.bkv.node.store.Command.Register reg = new dev.bkv.node.store.Command.Register(victim,
          System.currentTimeMillis(), 2, 10, new byte[] {1}, new byte[] {2}, new byte[16]);
      assertEquals(dev.bkv.node.store.Outcome.Status.OK, m1OfEpoch2.submit(
          new dev.bkv.node.store.Command.Stage(reg, successor)).status());
      List<dev.bkv.node.store.ClosureReceipts.Receipt> m1Only = List.of(receipt("m1", victim,
          successor));
      assertEquals(dev.bkv.node.store.Outcome.Status.UNPROVEN, m1OfEpoch2.submit(
          new dev.bkv.node.store.Command.Activate(victim, System.currentTimeMillis(), successor,
              0, dev.bkv.node.store.ClosureReceipts.encode(m1Only))).status());
      for (String id : epoch2.ids()) {
        assertInstanceOf(dev.bkv.node.store.UserState.Staged.class,
            m1OfEpoch2.getFrom(id, victim), "replica " + id + " keeps the record staged");
      }
      List<dev.bkv.node.store.ClosureReceipts.Receipt> majority = List.of(receipt("m1", victim,
          successor), receipt("m2", victim, successor));
      assertEquals(dev.bkv.node.store.Outcome.Status.OK, m1OfEpoch2.submit(
          new dev.bkv.node.store.Command.Activate(victim, System.currentTimeMillis(), successor,
              0, dev.bkv.node.store.ClosureReceipts.encode(majority))).status());
    }
  }

  /** Epoch 1's member {@code id} signing a closure with its Raft credential. */
  static dev.bkv.node.store.ClosureReceipts.Receipt receipt(String id,
      dev.bkv.node.store.UserId user, byte[] successor) throws Exception {
    var files = epoch1.raftTrust().files(id);
    return new dev.bkv.node.store.ClosureReceipts.Receipt(id,
        dev.bkv.node.trust.MemberCredential.load(files.cert(), files.key()).sign(
            dev.bkv.node.store.ClosureReceipts.message(VaultFleet.FLEET, 1, user, successor, 0)));
  }

  @Test
  void guessesAcrossBothEpochsStopAtTheLimit() throws Exception {
    SecretBytes key = registerOnEpoch1("cat");
    byte[] wrong = "not-it".getBytes(StandardCharsets.UTF_8);
    int refused = 0;
    for (int i = 0; i < 4; i++) {
      assertThrows(WrongPasswordException.class, () -> old.recover(user("cat"), wrong));
      refused++;
    }
    while (true) {
      try {
        migrating.recover(user("cat"), wrong);
        fail("a wrong password recovered a key");
      } catch (WrongPasswordException e) {
        refused++;
      } catch (LockedException e) {
        break;
      }
      assertTrue(refused <= 10, "more than 10 guesses answered");
    }
    assertEquals(10, refused, "the limit (10) counts guesses made through either epoch");
    assertThrows(LockedException.class, () -> migrating.recover(user("cat"), pw("cat")));
    assertFalse(recovers(next, "cat", key), "nothing was moved for a locked user");
  }

  @Test
  void membersOfBothEpochsDieDuringMovesAndEveryUserStillRecoversFromExactlyOne()
      throws Exception {
    int n = 10;
    List<SecretBytes> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      keys.add(registerOnEpoch1("u" + i));
    }
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<Boolean>> moves = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String name = "u" + i;
      SecretBytes key = keys.get(i);
      moves.add(pool.submit(() -> {
        try {
          return recovers(migrating, name, key);
        } catch (VaultClientException e) {
          return false; // unavailable while members died: tried again below
        }
      }));
    }
    Thread.sleep(1500);
    epoch1.kill("m2");
    Thread.sleep(1500);
    epoch2.kill("m3");
    for (Future<Boolean> f : moves) {
      f.get();
    }
    pool.shutdown();
    epoch1.start("m2");
    epoch2.start("m3");
    for (int i = 0; i < n; i++) {
      String name = "u" + i;
      boolean done = false;
      for (int tries = 0; tries < 5 && !done; tries++) {
        try {
          done = recovers(migrating, name, keys.get(i));
        } catch (VaultClientException e) {
          Thread.sleep(1000);
        }
      }
      assertTrue(done, name + " recovers after the faults");
      boolean onOld = recovers(old, name, keys.get(i));
      boolean onNext = recovers(next, name, keys.get(i));
      assertTrue(onOld ^ onNext, name + ": live on exactly one epoch (old " + onOld
          + ", new " + onNext + ")");
      assertTrue(onNext, name + " was moved by its successful recover");
    }
  }
}
