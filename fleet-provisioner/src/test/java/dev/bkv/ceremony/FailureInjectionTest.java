package dev.bkv.ceremony;

import static org.junit.jupiter.api.Assertions.*;

import dev.bkv.evidence.EvidenceVerifier;
import dev.bkv.evidence.FleetKey;
import dev.bkv.pkcs11.ObjectInfo;
import dev.bkv.pkcs11.Pkcs11Token;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Failures after each step: a failure the ceremony sees rolls back at once; a killed process
 * leaves state the next run rolls back. Either way nothing stays extractable and a re-run
 * completes with valid evidence. Each case uses its own fleet id on the same three tokens.
 */
class FailureInjectionTest {
  static List<Pkcs11Token> members;
  static Pkcs11Token operator;
  static final AtomicInteger FLEETS = new AtomicInteger();

  @BeforeAll
  static void open() throws Exception {
    members = Fleets.open("fi", 3);
    operator = Fleets.open("fiop", 1).get(0);
    for (int i = 0; i < members.size(); i++) {
      MemberKeys.ensureMember(members.get(i), "fi-" + i);
    }
  }

  @AfterAll
  static void close() {
    members.forEach(Pkcs11Token::close);
    operator.close();
  }

  @ParameterizedTest
  @EnumSource(names = {"KEYGEN", "TRANSFER", "SEAL"})
  void failureRollsBackAtOnceAndReRunCompletes(Ceremony.Step step) throws Exception {
    String fleet = "f" + FLEETS.incrementAndGet();
    CeremonyException e = assertThrows(CeremonyException.class, () -> Fleets.ceremony((s, d) -> {
      if (s == step) {
        throw new CeremonyException("injected failure");
      }
    }).run(Fleets.request(fleet, members, operator, false)));
    assertTrue(e.getMessage().contains("failed during " + step.name().toLowerCase() + ": injected failure"),
        e.getMessage());
    assertTrue(e.getMessage().contains("rolled back: no key of fleet " + fleet + " remains"), e.getMessage());
    for (Pkcs11Token m : members) {
      assertEquals(List.of(), fleetObjects(m, fleet), m.description());
    }
    rerunCompletes(fleet);
  }

  @ParameterizedTest
  @EnumSource(names = {"KEYGEN", "SEAL", "CLEANUP"})
  void killedRunIsRolledBackByTheNextRun(Ceremony.Step step) throws Exception {
    String fleet = "k" + FLEETS.incrementAndGet();
    assertThrows(Killed.class, () -> Fleets.ceremony((s, d) -> {
      if (s == step) {
        throw new Killed();
      }
    }).run(Fleets.request(fleet, members, operator, false)));
    assertFalse(fleetObjects(members.get(0), fleet).isEmpty(), "the kill left the genesis keys behind");
    Ceremony.Result r = rerunCompletes(fleet);
    // killed after the seal: every key was in place, so the re-run only finishes the cleanup
    assertEquals(step != Ceremony.Step.KEYGEN, r.reused(), r.transcript().toString());
  }

  @Test
  void killedAfterOneMembersUnwrapIsRolledBack() throws Exception {
    String fleet = "u" + FLEETS.incrementAndGet();
    String second = "fi-1";
    assertThrows(Killed.class, () -> Fleets.ceremony((s, d) -> {
      if (s == Ceremony.Step.TRANSFER && d.equals(second)) {
        throw new Killed();
      }
    }).run(Fleets.request(fleet, members, operator, false)));
    assertEquals(8, fleetObjects(members.get(1), fleet).size(), "member 2 got its keys");
    assertEquals(List.of(), fleetObjects(members.get(2), fleet), "member 3 did not");
    assertTrue(fleetObjects(members.get(0), fleet).stream().anyMatch(o -> Boolean.TRUE.equals(o.extractable())));
    rerunCompletes(fleet);
  }

  @Test
  void sealedButIncompleteFleetIsRefusedUnlessRestarted() throws Exception {
    String fleet = "r" + FLEETS.incrementAndGet();
    Fleets.ceremony(FaultInjector.NONE).run(Fleets.request(fleet, members, operator, false));
    members.get(2).keys().destroyAll(FleetKey.OPRF.label(fleet));
    CeremonyException e = assertThrows(CeremonyException.class,
        () -> Fleets.ceremony(FaultInjector.NONE).run(Fleets.request(fleet, members, operator, false)));
    assertTrue(e.getMessage().contains("is sealed on the genesis") && e.getMessage().contains("--restart"),
        e.getMessage());
    Ceremony.Result r = Fleets.ceremony(FaultInjector.NONE).run(Fleets.request(fleet, members, operator, true));
    assertFalse(r.reused());
    assertTrue(EvidenceVerifier.verify(r.evidence()).valid());
  }

  @Test
  void keysOnMembersButNoneOnTheGenesisAreNotRolledBackSilently() throws Exception {
    String fleet = "w" + FLEETS.incrementAndGet();
    Fleets.ceremony(FaultInjector.NONE).run(Fleets.request(fleet, members, operator, false));
    for (ObjectInfo o : fleetObjects(members.get(0), fleet)) {
      members.get(0).keys().destroyAll(o.label());
    }
    CeremonyException e = assertThrows(CeremonyException.class,
        () -> Fleets.ceremony(FaultInjector.NONE).run(Fleets.request(fleet, members, operator, false)));
    assertTrue(e.getMessage().contains("but the genesis") && e.getMessage().contains("has none"), e.getMessage());
    assertEquals(8, fleetObjects(members.get(1), fleet).size(), "member keys were left alone");
    rerunWithRestart(fleet);
  }

  private static void rerunWithRestart(String fleet) throws Exception {
    Ceremony.Result r = Fleets.ceremony(FaultInjector.NONE).run(Fleets.request(fleet, members, operator, true));
    assertTrue(EvidenceVerifier.verify(r.evidence()).valid());
  }

  private static Ceremony.Result rerunCompletes(String fleet) throws Exception {
    Ceremony.Result r = Fleets.ceremony(FaultInjector.NONE).run(Fleets.request(fleet, members, operator, false));
    assertTrue(EvidenceVerifier.verify(r.evidence()).valid());
    for (Pkcs11Token m : members) {
      List<ObjectInfo> objects = fleetObjects(m, fleet);
      assertEquals(8, objects.size(), "6 fleet key objects and 2 group wrap keys on " + m.description());
      assertTrue(objects.stream().noneMatch(o -> Boolean.TRUE.equals(o.extractable())), m.description());
      assertTrue(m.inventory().stream().noneMatch(o -> o.label().startsWith("ceremony/" + fleet + "/")));
    }
    return r;
  }

  private static List<ObjectInfo> fleetObjects(Pkcs11Token t, String fleet) throws Exception {
    return t.inventory().stream().filter(o -> o.label().startsWith("fleet/" + fleet + "/")).toList();
  }

  /** Stands in for the process dying: an Error the ceremony does not handle. */
  static final class Killed extends Error {
    private static final long serialVersionUID = 1L;
  }
}
