package dev.bkv.ceremony;

import static org.junit.jupiter.api.Assertions.*;

import dev.bkv.crypto.Sha256;
import dev.bkv.evidence.EvidencePayload;
import dev.bkv.evidence.EvidenceVerifier;
import dev.bkv.evidence.FleetKey;
import dev.bkv.evidence.LiveCheck;
import dev.bkv.evidence.VerificationReport;
import dev.bkv.pkcs11.ObjectInfo;
import dev.bkv.pkcs11.Pkcs11Token;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A rollover on the same HSMs: epoch 2 of a fleet is provisioned on the tokens that hold epoch 1,
 * its keys under {@code fleet/<id>@2/} beside epoch 1's, which stay as they were.
 */
class RolloverCeremonyTest {
  static List<Pkcs11Token> members;
  static Pkcs11Token operator;
  static Ceremony.Result first;
  static Ceremony.Result second;

  @BeforeAll
  static void provision() throws Exception {
    members = Fleets.open("ro", 3);
    operator = Fleets.open("rop", 1).get(0);
    first = Fleets.ceremony(FaultInjector.NONE).run(Fleets.request("r3", members, operator, false));
    second = Fleets.ceremony(FaultInjector.NONE).run(new Ceremony.Request("r3", 2, members.get(0),
        members.subList(1, 3), operator, false));
  }

  @AfterAll
  static void close() {
    members.forEach(Pkcs11Token::close);
    operator.close();
  }

  @Test
  void keySpacesKeepEpochOneLabelsAndSeparateLaterEpochs() {
    assertEquals("fleet/r3/ake", FleetKey.AKE.label("r3", 1));
    assertEquals("fleet/r3@2/ake", FleetKey.AKE.label("r3", 2));
    assertEquals("fleet/r3@17/", FleetKey.prefix("r3", 17));
    assertFalse(FleetKey.prefix("r3", 2).startsWith(FleetKey.prefix("r3", 1)));
    assertThrows(IllegalArgumentException.class, () -> FleetKey.prefix("r3@1"));
    assertThrows(IllegalArgumentException.class, () -> FleetKey.prefix("r3@02"));
    assertThrows(IllegalArgumentException.class, () -> FleetKey.space("r3", -1));
  }

  @Test
  void bothEpochsAreOnEveryTokenWithDifferentKeys() throws Exception {
    assertFalse(second.reused(), "epoch 2 is a new ceremony, not a read-back of epoch 1");
    for (Pkcs11Token m : members) {
      for (long epoch : new long[] {1, 2}) {
        for (FleetKey k : FleetKey.values()) {
          List<ObjectInfo> found = m.inventory().stream().filter(o ->
              o.label().equals(k.label("r3", epoch)) && o.objectClass() == k.objectClass()).toList();
          assertEquals(1, found.size(), k + " epoch " + epoch + " on " + m.description());
          assertEquals(Boolean.FALSE, found.get(0).extractable());
        }
      }
      String ake1 = Sha256.hex(m.keys().findEcP256(FleetKey.AKE.label("r3", 1)).publicKey().point());
      String ake2 = Sha256.hex(m.keys().findEcP256(FleetKey.AKE.label("r3", 2)).publicKey().point());
      assertNotEquals(ake1, ake2, "a new epoch has new fleet keys");
      assertEquals(2, m.inventory().stream()
          .filter(o -> o.label().startsWith("fleet/r3@2/oprf-share/")).count());
    }
  }

  @Test
  void epochTwoEvidenceVerifiesWithEpochOneKeysBeside() throws Exception {
    VerificationReport report = EvidenceVerifier.verify(second.evidence());
    assertTrue(report.valid(), report.problems().toString());
    EvidencePayload p = report.payload();
    assertEquals(2, p.epoch());
    for (Pkcs11Token m : members) {
      assertEquals(List.of(), LiveCheck.compare(p, m));
    }
    assertTrue(p.members().get(0).statement().fleetKeys().stream()
        .allMatch(v -> v.label().startsWith("fleet/r3@2/")));
  }

  @Test
  void epochOneKeysStillComputeAsBefore() throws Exception {
    byte[] peer = members.get(2).keys().findEcP256(FleetKey.MEMBER_IDENTITY).publicKey().point();
    byte[] x = members.get(0).keys().findEcP256("fleet/r3/ake").ecdhX(peer);
    assertArrayEquals(x, members.get(1).keys().findEcP256("fleet/r3/ake").ecdhX(peer));
    assertFalse(java.util.Arrays.equals(x,
        members.get(1).keys().findEcP256("fleet/r3@2/ake").ecdhX(peer)));
  }
}
