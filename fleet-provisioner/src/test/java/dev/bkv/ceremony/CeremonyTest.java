package dev.bkv.ceremony;

import dev.bkv.crypto.Sha256;
import static org.junit.jupiter.api.Assertions.*;

import dev.bkv.evidence.Envelope;
import dev.bkv.evidence.EvidencePayload;
import dev.bkv.evidence.EvidenceVerifier;
import dev.bkv.evidence.FleetKey;
import dev.bkv.evidence.LiveCheck;
import dev.bkv.evidence.VerificationReport;
import dev.bkv.pkcs11.EcPrivateKey;
import dev.bkv.pkcs11.ObjectInfo;
import dev.bkv.pkcs11.Pkcs11Token;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The single-process ceremony on 3 member tokens (genesis included) and an operator token. */
class CeremonyTest {
  static List<Pkcs11Token> members;
  static Pkcs11Token operator;
  static Ceremony.Result result;

  @BeforeAll
  static void provision() throws Exception {
    members = Fleets.open("cm", 3);
    operator = Fleets.open("cop", 1).get(0);
    result = Fleets.ceremony(FaultInjector.NONE).run(Fleets.request("c3", members, operator, false));
  }

  @AfterAll
  static void close() {
    members.forEach(Pkcs11Token::close);
    operator.close();
  }

  @Test
  void everyMemberHoldsTheSameNonExtractableSensitiveFleetKeys() throws Exception {
    Set<String> akePoints = new HashSet<>();
    for (Pkcs11Token m : members) {
      for (FleetKey k : FleetKey.values()) {
        List<ObjectInfo> found = m.inventory().stream()
            .filter(o -> o.label().equals(k.label("c3")) && o.objectClass() == k.objectClass()).toList();
        assertEquals(1, found.size(), k + " on " + m.description());
        assertEquals(Boolean.FALSE, found.get(0).extractable(), k + " on " + m.description());
        assertEquals(Boolean.TRUE, found.get(0).sensitive(), k + " on " + m.description());
      }
      assertTrue(m.inventory().stream().noneMatch(o -> Boolean.TRUE.equals(o.trusted())));
      assertTrue(m.inventory().stream().noneMatch(o -> o.label().startsWith("ceremony/")));
      akePoints.add(Sha256.hex(m.keys().findEcP256(FleetKey.AKE.label("c3")).publicKey().point()));
    }
    assertEquals(1, akePoints.size());
    assertEquals(Boolean.TRUE, members.get(0).keys().findEcP256("fleet/c3/oprf").info().local());
    assertEquals(Boolean.FALSE, members.get(1).keys().findEcP256("fleet/c3/oprf").info().local());
  }

  @Test
  void clonedKeysComputeTheSameResults() throws Exception {
    byte[] peer = members.get(2).keys().findEcP256(FleetKey.MEMBER_IDENTITY).publicKey().point();
    byte[] x1 = members.get(0).keys().findEcP256("fleet/c3/ake").ecdhX(peer);
    for (Pkcs11Token m : members) {
      assertArrayEquals(x1, m.keys().findEcP256("fleet/c3/ake").ecdhX(peer), m.description());
    }
    byte[] iv = new byte[12];
    iv[0] = 9;
    byte[] sealed = members.get(0).keys().findAes("fleet/c3/record").encryptGcm(iv, new byte[] {1, 2, 3}, new byte[] {7});
    assertArrayEquals(new byte[] {1, 2, 3},
        members.get(2).keys().findAes("fleet/c3/record").decryptGcm(iv, sealed, new byte[] {7}));
    assertArrayEquals(members.get(1).keys().findHmacKey("fleet/c3/oprf-seed").sign(new byte[] {5}),
        members.get(2).keys().findHmacKey("fleet/c3/oprf-seed").sign(new byte[] {5}));
  }

  @Test
  void evidenceVerifiesAndMatchesTheLiveTokens() throws Exception {
    VerificationReport report = EvidenceVerifier.verify(result.evidence());
    assertTrue(report.valid(), report.problems().toString());
    EvidencePayload p = report.payload();
    assertEquals(EvidencePayload.SCHEMA, p.schema());
    assertEquals(3, p.members().size());
    assertEquals(4, result.evidence().signatures().size());
    assertEquals("2026-11-27T12:00:00Z", p.time());
    for (Pkcs11Token m : members) {
      assertEquals(List.of(), LiveCheck.compare(p, m));
    }
    List<String> steps = p.transcript().stream().map(e -> e.step()).distinct().toList();
    assertEquals(List.of("keygen", "fallback", "trust", "wrap", "unwrap", "seal", "cleanup", "readback"), steps);
    // SoftHSM2 takes RSA-OAEP with SHA-1 only: one fallback line per member the genesis wraps for
    assertEquals(2, p.transcript().stream().filter(e -> e.step().equals("fallback")
        && e.detail().contains("RSA-OAEP with SHA-1 for member")).count(), p.transcript().toString());
  }

  @Test
  void rerunOnAFinishedFleetOnlyReadsBack() throws Exception {
    Ceremony.Result again = Fleets.ceremony(FaultInjector.NONE).run(Fleets.request("c3", members, operator, false));
    assertTrue(again.reused());
    EvidencePayload first = EvidenceVerifier.verify(result.evidence()).payload();
    EvidencePayload second = EvidenceVerifier.verify(again.evidence()).requireValid().payload();
    assertEquals(first.members().get(0).statement(), second.members().get(0).statement());
  }

  @Test
  void liveCheckSeesAChangedToken() throws Exception {
    Pkcs11Token m = members.get(1);
    EcPrivateKey extra = m.keys().generateEcP256(dev.bkv.pkcs11.KeySpec.of("extra/after", dev.bkv.pkcs11.KeyUsage.SIGN));
    try {
      List<String> diff = LiveCheck.compare(EvidenceVerifier.verify(result.evidence()).payload(), m);
      assertEquals(2, diff.size(), diff.toString());
      assertTrue(diff.get(0).contains("PRIVATE_KEY 'extra/after' is on the token but not in the evidence"), diff.get(0));
      assertTrue(diff.get(1).contains("PUBLIC_KEY 'extra/after' is on the token but not in the evidence"), diff.get(1));
    } finally {
      extra.destroy();
    }
  }

  static Envelope evidence() {
    return result.evidence();
  }
}
