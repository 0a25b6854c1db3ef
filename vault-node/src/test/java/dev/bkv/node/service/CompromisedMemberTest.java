package dev.bkv.node.service;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.client.VaultClient;
import dev.bkv.crypto.Sha256;
import dev.bkv.ec.P256;
import dev.bkv.ec.Point;
import dev.bkv.ec.Scalar;
import dev.bkv.evidence.ShareLayout;
import dev.bkv.node.raft.PeerAnswer;
import dev.bkv.node.raft.Query;
import dev.bkv.node.raft.ReplicatedRecords.Committed;
import dev.bkv.node.raft.ReplicatedStore;
import dev.bkv.node.store.Command;
import dev.bkv.node.store.KeyShares;
import dev.bkv.node.store.Outcome;
import dev.bkv.node.store.UserId;
import dev.bkv.node.store.UserRecord;
import dev.bkv.node.store.UserState;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.testing.SoftHsmTokens;
import dev.bkv.recovery.InternalFaultException;
import dev.bkv.recovery.SecretBytes;
import dev.bkv.seal.ResetKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A compromised member against real members (DESIGN §10): member m1's host is the attacker's.
 * It has m1's HSM keys (a token holding exactly m1's keys), its Raft credential (it commits any
 * command as m1 and sends any key share request to m2 and m3 over the member channel), the
 * replicated records, and an account of its own. Against a victim it cannot compute an OPRF
 * output, every partial it obtains is an attempt counted against the victim's limit, it gets no
 * second partial for an attempt, no registration partial outside a committed registration, no
 * reset without the victim's password, and cannot splice a share of its own record into
 * another's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompromisedMemberTest {
  private static final String M1 = "m1";
  private final SecureRandom rng = new SecureRandom();
  private VaultFleet fleet;
  private ReplicatedStore asM1;
  private Pkcs11Token stolen;
  private ShareKeys m1Keys;
  private ShareLayout layout;

  @BeforeAll
  void start() throws Exception {
    fleet = new VaultFleet("compromised");
    fleet.startAll();
    try (VaultClient c = fleet.client(fleet.ids())) {
      c.register(bytes("victim"), bytes("correct horse"), key());
      c.register(bytes("victim2"), bytes("battery staple"), key());
      c.register(bytes("locked"), bytes("pw"), key());
      c.register(bytes("mallory"), bytes("mallory's own"), key());
    }
    // The attacker takes m1's host: the member process goes, its keys and credential stay.
    fleet.stop(M1);
    layout = new ShareLayout(VaultFleet.FLEET, fleet.ids());
    stolen = Pkcs11Token.open(SoftHsmTokens.create("stolen-m1"));
    DevFleetKeys.importInto(stolen, VaultFleet.FLEET, fleet.secrets());
    DevFleetKeys.importShareKeys(stolen, layout, M1, fleet.secrets());
    m1Keys = ShareKeys.open(stolen, layout, M1);
    asM1 = new ReplicatedStore(fleet.raftClientConfig());
  }

  @AfterAll
  void stop() throws Exception {
    if (asM1 != null) {
      asM1.close();
    }
    if (stolen != null) {
      stolen.close();
    }
    if (fleet != null) {
      fleet.close();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  private SecretBytes key() {
    byte[] k = new byte[32];
    rng.nextBytes(k);
    return SecretBytes.copyOf(k);
  }

  private Point randomPoint() {
    return P256.multiplyGenerator(Scalar.random(rng));
  }

  private UserRecord record(String user) throws Exception {
    return assertInstanceOf(UserState.Present.class, asM1.get(new UserId(bytes(user)))).record();
  }

  private Committed attempt(String user, Point b) throws Exception {
    return asM1.commit(new Command.Attempt(new UserId(bytes(user)), System.currentTimeMillis(),
        Sha256.hash(b.toCompressed())));
  }

  private PeerAnswer partial(String peer, String user, Query.Purpose purpose, long index,
      Point b, String set) throws Exception {
    UserId id = new UserId(bytes(user));
    return asM1.askPeer(peer, id, new Query.Partial(id, purpose, index, b.toCompressed(),
        List.of(set)));
  }

  /** The summand of the set m1 is in never reaches m1's HSM: no OPRF output, no offline test. */
  @Test
  void m1CannotEvaluateTheSummandOfItsOwnSet() throws Exception {
    assertFalse(stolen.keys().exists(layout.label(layout.set(M1))));
    KeyShares.Share own = record("victim").shares().share(M1).orElseThrow();
    InternalFaultException e = assertThrows(InternalFaultException.class,
        () -> m1Keys.evaluate(own, randomPoint()));
    assertTrue(e.getMessage().contains("does not hold the wrap key of share set m1"));
    // The sets it does hold it evaluates freely: that alone gives no OPRF output.
    for (String set : m1Keys.heldSets()) {
      m1Keys.evaluate(record("victim").shares().share(set).orElseThrow(), randomPoint());
    }
  }

  /** Every partial is a committed attempt on a committed element, answered once per member. */
  @Test
  void everyPartialIsACountedAttemptAndNoIndexGivesASecondOne() throws Exception {
    Point b = randomPoint();
    UserRecord before = record("victim");
    // No attempt committed for this element: refused, whatever index is named.
    PeerAnswer noAttempt = partial("m2", "victim", Query.Purpose.LOGIN,
        Math.max(0, before.keys().lastAttempt()), b, M1);
    assertEquals(PeerAnswer.Status.REFUSED, noAttempt.status(), noAttempt.message());

    Committed a = attempt("victim", b);
    assertEquals(Outcome.Status.OK, a.outcome().status());
    assertEquals(before.attemptsUsed() + 1, record("victim").attemptsUsed(), "counted");
    PeerAnswer first = partial("m2", "victim", Query.Purpose.LOGIN, a.index(), b, M1);
    assertEquals(PeerAnswer.Status.OK, first.status(), first.message());
    PeerAnswer again = partial("m2", "victim", Query.Purpose.LOGIN, a.index(), b, M1);
    assertEquals(PeerAnswer.Status.REFUSED, again.status());
    assertTrue(again.message().contains("already answered"), again.message());
    // Another element under the same attempt: refused before the HSM.
    PeerAnswer other = partial("m3", "victim", Query.Purpose.LOGIN, a.index(), randomPoint(), M1);
    assertEquals(PeerAnswer.Status.REFUSED, other.status());
    assertTrue(other.message().contains("not the one the attempt"), other.message());
    // The other holder of the set answers the same attempt with the same point: nothing new.
    PeerAnswer fromM3 = partial("m3", "victim", Query.Purpose.LOGIN, a.index(), b, M1);
    assertEquals(PeerAnswer.Status.OK, fromM3.status(), fromM3.message());
    assertEquals(java.util.HexFormat.of().formatHex(first.entries().get(0).value()),
        java.util.HexFormat.of().formatHex(fromM3.entries().get(0).value()));
    // A newer attempt does not reopen an older one: both holders answered it already.
    Committed newer = attempt("victim", randomPoint());
    for (String peer : List.of("m2", "m3")) {
      PeerAnswer stale = partial(peer, "victim", Query.Purpose.LOGIN, a.index(), b, M1);
      assertEquals(PeerAnswer.Status.REFUSED, stale.status());
    }
    assertTrue(newer.index() > a.index());
    // An index that is no attempt of this record (the registration's, say) is refused.
    PeerAnswer notAnAttempt = partial("m2", "victim", Query.Purpose.LOGIN,
        record("victim").generation(), b, M1);
    assertEquals(PeerAnswer.Status.REFUSED, notAnAttempt.status());
    assertTrue(notAnAttempt.message().contains("is not an attempt"), notAnAttempt.message());
  }

  /** At most the attempt limit of partials over the record's life; then nothing. */
  @Test
  void theLimitBoundsThePartialsAndNoMemberCanResetIt() throws Exception {
    UserRecord rec = record("locked");
    // No reset without the password's reset key: not without a signature, not with m1's own.
    ResetKey forged = ResetKey.fromExportKey(SecretBytes.copyOf(new byte[64]));
    Committed first = attempt("locked", randomPoint());
    UserId id = new UserId(bytes("locked"));
    assertEquals(Outcome.Status.UNPROVEN, asM1.commit(new Command.Reset(id, 1,
        rec.generation())).outcome().status());
    assertEquals(Outcome.Status.UNPROVEN, asM1.commit(new Command.Reset(id, 2,
        rec.generation(), first.index(), forged.sign(id.bytes(), first.index())))
        .outcome().status());
    int served = 0;
    Set<Long> indexes = new HashSet<>();
    for (int i = 0; i < 15; i++) {
      Point b = randomPoint();
      Committed a = attempt("locked", b);
      PeerAnswer p = partial(i % 2 == 0 ? "m2" : "m3", "locked", Query.Purpose.LOGIN, a.index(),
          b, M1);
      if (p.status() == PeerAnswer.Status.OK) {
        served++;
        indexes.add(a.index());
      } else {
        assertEquals(Outcome.Status.LOCKED, a.outcome().status(), p.message());
      }
    }
    assertEquals(rec.attemptLimit() - 1, served, "the limit, less the first attempt above");
    assertInstanceOf(UserState.Locked.class, asM1.get(id));
    // The honest members' evaluation logs name each served index once.
    long logged = 0;
    String hex = java.util.HexFormat.of().formatHex(id.bytes());
    for (String m : List.of("m2", "m3")) {
      logged += fleet.evaluationLines(m).stream()
          .filter(l -> l.startsWith("partial login " + hex + " ")).count();
    }
    assertEquals(served, logged);
  }

  /** The cross-user blinding of the fleet-key era: an attempt on m1's own account is only that. */
  @Test
  void anAttemptOnItsOwnAccountEvaluatesOnlyItsOwnKey() throws Exception {
    Point b = randomPoint();
    Committed own = attempt("mallory", b);
    PeerAnswer mine = partial("m2", "mallory", Query.Purpose.LOGIN, own.index(), b, M1);
    assertEquals(PeerAnswer.Status.OK, mine.status(), mine.message());
    Committed v = attempt("victim2", b);
    PeerAnswer victims = partial("m2", "victim2", Query.Purpose.LOGIN, v.index(), b, M1);
    assertEquals(PeerAnswer.Status.OK, victims.status(), victims.message());
    assertNotEquals(java.util.HexFormat.of().formatHex(mine.entries().get(0).value()),
        java.util.HexFormat.of().formatHex(victims.entries().get(0).value()),
        "independent keys: the same element gives unrelated partials");
    // Asking under its own attempt's index for the victim's record is refused.
    PeerAnswer crossed = partial("m3", "victim2", Query.Purpose.LOGIN, own.index(), b, M1);
    assertEquals(PeerAnswer.Status.REFUSED, crossed.status());
  }

  /** A share of m1's own record can never enter another record; registration partials are bound. */
  @Test
  void noSplicingAndRegistrationPartialsOnlyForACommittedBegin() throws Exception {
    UserId target = new UserId(bytes("newcomer"));
    KeyShares mallorys = record("mallory").shares();
    List<KeyShares.Share> spliced = new ArrayList<>();
    for (ShareLayout.ShareSet set : layout.sets()) {
      spliced.add(set.name().equals(M1) ? mallorys.share(M1).orElseThrow()
          : m1Keys.generate(set.name()));
    }
    Point e = randomPoint();
    Committed refused = asM1.commit(new Command.Begin(target, 1, Sha256.hash(e.toCompressed()),
        new KeyShares(spliced)));
    assertEquals(Outcome.Status.REUSED, refused.outcome().status());

    // Nothing begun for this user: no registration partial (the peer does throwaway work only).
    PeerAnswer none = partial("m2", "newcomer", Query.Purpose.REGISTRATION, refused.index(), e,
        M1);
    assertEquals(PeerAnswer.Status.UNKNOWN, none.status());
    assertTrue(none.entries().isEmpty());

    // A committed Begin with fresh shares (the set m1 is in generated by m2): one partial, on
    // its element only, once.
    List<KeyShares.Share> fresh = new ArrayList<>();
    for (ShareLayout.ShareSet set : layout.sets()) {
      if (set.name().equals(M1)) {
        PeerAnswer g = asM1.askPeer("m2", target, new Query.Generate(target, M1));
        fresh.add(KeyShares.parse(g.entries().get(0).value()).shares().get(0));
      } else {
        fresh.add(m1Keys.generate(set.name()));
      }
    }
    Committed begun = asM1.commit(new Command.Begin(target, 2, Sha256.hash(e.toCompressed()),
        new KeyShares(fresh)));
    assertEquals(Outcome.Status.OK, begun.outcome().status());
    PeerAnswer wrongElement = partial("m2", "newcomer", Query.Purpose.REGISTRATION,
        begun.index(), randomPoint(), M1);
    assertEquals(PeerAnswer.Status.REFUSED, wrongElement.status());
    PeerAnswer ok = partial("m2", "newcomer", Query.Purpose.REGISTRATION, begun.index(), e, M1);
    assertEquals(PeerAnswer.Status.OK, ok.status(), ok.message());
    PeerAnswer twice = partial("m2", "newcomer", Query.Purpose.REGISTRATION, begun.index(), e,
        M1);
    assertEquals(PeerAnswer.Status.REFUSED, twice.status());
    // The shares are spent: this Begin cannot be committed again, for anyone.
    assertEquals(Outcome.Status.REUSED, asM1.commit(new Command.Begin(
        new UserId(bytes("victim")), 3, Sha256.hash(e.toCompressed()), new KeyShares(fresh)))
        .outcome().status());
  }
}
