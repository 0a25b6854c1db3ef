package dev.bkv.evidence;

import static org.junit.jupiter.api.Assertions.*;

import dev.bkv.ceremony.Ceremony;
import dev.bkv.ceremony.FaultInjector;
import dev.bkv.pkcs11.EcPrivateKey;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.testing.SoftHsmTokens;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tampered evidence fails with a message naming the problem; honest evidence is reproducible. */
class EvidenceVerifierTest {
  static final SoftwareVersion SW = new SoftwareVersion("test-classes", SoftwareVersion.DEVELOPMENT);
  static Pkcs11Token genesis;
  static Pkcs11Token member;
  static Pkcs11Token operator;
  static Envelope good;
  static EvidencePayload payload;

  @BeforeAll
  static void provision() throws Exception {
    genesis = Pkcs11Token.open(SoftHsmTokens.create("evg"));
    member = Pkcs11Token.open(SoftHsmTokens.create("evm"));
    operator = Pkcs11Token.open(SoftHsmTokens.create("evo"));
    Clock clock = Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC);
    good = new Ceremony(clock, s -> { }, FaultInjector.NONE, SW)
        .run(new Ceremony.Request("ev", 7, genesis, List.of(member), operator, false)).evidence();
    payload = EvidenceVerifier.verify(good).requireValid().payload();
  }

  @AfterAll
  static void close() {
    genesis.close();
    member.close();
    operator.close();
  }

  @Test
  void flippedPayloadByteBreaksEverySignature() throws Exception {
    String text = new String(good.payloadBytes(), StandardCharsets.UTF_8);
    int at = text.indexOf("\"epoch\" : 7");
    assertTrue(at > 0, text.substring(0, 200));
    String tampered = text.substring(0, at) + "\"epoch\" : 8" + text.substring(at + 11);
    Envelope env = new Envelope(good.payloadType(),
        Base64.getEncoder().encodeToString(tampered.getBytes(StandardCharsets.UTF_8)), good.signatures());
    EvidenceVerificationException e = assertThrows(EvidenceVerificationException.class,
        () -> EvidenceVerifier.verify(env).requireValid());
    assertTrue(e.getMessage().contains("statement is for fleet ev epoch 7; the evidence is for fleet ev epoch 8"),
        e.getMessage());
    List<String> problems = EvidenceVerifier.verify(env).problems();
    assertEquals(3, problems.stream().filter(p -> p.contains("does not verify (payload or signature altered)")).count(),
        problems.toString());
  }

  @Test
  void anyFlippedBitFails() throws Exception {
    byte[] body = good.payloadBytes();
    int step = Math.max(1, body.length / 300);
    for (int i = 0; i < body.length; i += step) {
      byte[] b = body.clone();
      b[i] ^= 0x01;
      Envelope env = new Envelope(good.payloadType(), Base64.getEncoder().encodeToString(b), good.signatures());
      try {
        assertFalse(EvidenceVerifier.verify(env).valid(), "bit flip at byte " + i + " went unnoticed");
      } catch (MalformedEvidenceException expected) {
        assertTrue(expected.getMessage().startsWith("evidence payload is not a valid EvidencePayload"),
            expected.getMessage());
      }
    }
  }

  @Test
  void alteredSignatureIsNamed() throws Exception {
    List<Envelope.Signature> sigs = new ArrayList<>(good.signatures());
    byte[] der = Base64.getDecoder().decode(sigs.get(1).sig());
    der[der.length - 1] ^= 1;
    sigs.set(1, new Envelope.Signature(sigs.get(1).keyid(), Base64.getEncoder().encodeToString(der)));
    VerificationReport r = EvidenceVerifier.verify(new Envelope(good.payloadType(), good.payload(), sigs));
    assertEquals(1, r.problems().size(), r.problems().toString());
    assertTrue(r.problems().get(0).matches("DSSE signature of member .* does not verify.*"), r.problems().get(0));
  }

  @Test
  void droppedMemberSignatureIsNamed() throws Exception {
    Envelope env = new Envelope(good.payloadType(), good.payload(), good.signatures().subList(1, 3));
    VerificationReport r = EvidenceVerifier.verify(env);
    assertEquals(1, r.problems().size(), r.problems().toString());
    assertTrue(r.problems().get(0).startsWith("no DSSE signature by member "), r.problems().get(0));
  }

  @Test
  void wrongPayloadTypeIsNamed() throws Exception {
    VerificationReport r = EvidenceVerifier.verify(new Envelope("text/plain", good.payload(), good.signatures()));
    assertTrue(r.problems().get(0).startsWith("payloadType is 'text/plain'"), r.problems().toString());
  }

  @Test
  void inventoryShowingAnExtractableKeyFailsEvenWhenEverySignatureIsValid() throws Exception {
    Envelope env = resigned(m -> withInventory(m, e -> e.label().equals("fleet/ev@7/oprf") && e.objectClass().equals("PRIVATE_KEY")
        ? copy(e, true, e.trusted()) : e));
    VerificationReport r = EvidenceVerifier.verify(env);
    assertFalse(r.problems().isEmpty());
    assertTrue(r.problems().stream().allMatch(p -> p.contains("PRIVATE_KEY 'fleet/ev@7/oprf' is extractable")),
        r.problems().toString());
    assertTrue(r.passed().stream().anyMatch(p -> p.startsWith("DSSE signature of the operator")));
  }

  @Test
  void leftoverTrustedObjectFails() throws Exception {
    Envelope env = resigned(m -> withInventory(m, e -> e.label().equals("member/transport") && e.objectClass().equals("PUBLIC_KEY")
        ? copy(e, e.extractable(), true) : e));
    assertTrue(EvidenceVerifier.verify(env).problems().stream()
        .anyMatch(p -> p.contains("PUBLIC_KEY 'member/transport' is CKA_TRUSTED")));
  }

  @Test
  void swappedFleetKeyOnOneMemberFails() throws Exception {
    String other = P256Hex.of(operator.keys().findEcP256("operator/countersign").publicKey().point());
    Envelope env = resigned(m -> m.role().equals("member") ? withFleetKey(m, "fleet/ev@7/ake", other) : m);
    List<String> problems = EvidenceVerifier.verify(env).problems();
    assertTrue(problems.stream().anyMatch(p -> p.contains("'fleet/ev@7/ake' has fingerprint")
        && p.contains("the fleet keys differ between members")), problems.toString());
  }

  @Test
  void swappedMemberIdentityKeyFails() throws Exception {
    String other = P256Hex.of(operator.keys().findEcP256("operator/countersign").publicKey().point());
    List<MemberSection> sections = payload.members().stream().map(s -> !s.statement().role().equals("member") ? s
        : new MemberSection(new MemberStatement(s.statement().schema(), s.statement().fleetId(), s.statement().epoch(),
            s.statement().memberId(), s.statement().role(), s.statement().token(), other, s.statement().transportKey(),
            s.statement().fleetKeys(), s.statement().shareKeys(), s.statement().inventory(), s.statement().attestation(), s.statement().checks()),
            s.proofOfPossession())).toList();
    EvidencePayload p = new EvidencePayload(payload.schema(), payload.fleetId(), payload.epoch(), payload.time(),
        payload.software(), payload.operator(), payload.transcript(), sections);
    Envelope env = new Envelope(good.payloadType(), Envelope.unsigned(p.toBytes()).payload(), good.signatures());
    List<String> problems = EvidenceVerifier.verify(env).problems();
    String memberId = payload.members().stream().filter(s -> s.statement().role().equals("member")).findFirst()
        .orElseThrow().statement().memberId();
    assertTrue(problems.contains("member " + memberId + ": proof of possession does not verify under its identity key"),
        problems.toString());
    assertTrue(problems.stream().anyMatch(x -> x.startsWith("member " + memberId + " uses the same key as")
        || x.contains("uses the same key as member " + memberId)), problems.toString());
  }

  @Test
  void sameInputsGiveTheSamePayload() throws Exception {
    EvidencePayload again = EvidenceAssembler.assemble(payload.fleetId(), payload.epoch(),
        Instant.parse(payload.time()), payload.software(), payload.operator(), payload.members(),
        payload.transcript());
    assertArrayEquals(good.payloadBytes(), again.toBytes());
    assertEquals(1, payload.members().stream().filter(m -> m.statement().role().equals("genesis")).count());
    assertEquals("none", payload.members().get(0).statement().attestation().get("format").asText());
  }

  /** The payload with each member's statement changed by {@code f}, re-signed by the real keys. */
  private static Envelope resigned(UnaryOperator<MemberStatement> f) throws Exception {
    List<MemberSection> sections = new ArrayList<>();
    for (MemberSection s : payload.members()) {
      Pkcs11Token t = s.statement().role().equals("genesis") ? genesis : member;
      sections.add(MemberStatements.sign(f.apply(s.statement()), t.keys().findEcP256(FleetKey.MEMBER_IDENTITY)));
    }
    EvidencePayload p = new EvidencePayload(payload.schema(), payload.fleetId(), payload.epoch(),
        payload.time(), payload.software(), payload.operator(), payload.transcript(), sections);
    Envelope env = Envelope.unsigned(p.toBytes());
    for (Pkcs11Token t : List.of(genesis, member)) {
      env = EvidenceAssembler.sign(env, t.keys().findEcP256(FleetKey.MEMBER_IDENTITY));
    }
    EcPrivateKey op = operator.keys().findEcP256(FleetKey.OPERATOR_COUNTERSIGN);
    return EvidenceAssembler.sign(env, op);
  }

  private static MemberStatement withInventory(MemberStatement m, UnaryOperator<InventoryEntry> f) {
    return new MemberStatement(m.schema(), m.fleetId(), m.epoch(), m.memberId(), m.role(), m.token(),
        m.identityKey(), m.transportKey(), m.fleetKeys(), m.shareKeys(), m.inventory().stream().map(f).toList(),
        m.attestation(), m.checks());
  }

  private static MemberStatement withFleetKey(MemberStatement m, String label, String point) {
    List<FleetKeyValue> values = m.fleetKeys().stream().map(v -> v.label().equals(label)
        ? new FleetKeyValue(label, v.keyType(), point, P256Hex.sha(point), v.check()) : v).toList();
    return new MemberStatement(m.schema(), m.fleetId(), m.epoch(), m.memberId(), m.role(), m.token(),
        m.identityKey(), m.transportKey(), values, m.shareKeys(), m.inventory(), m.attestation(), m.checks());
  }

  private static InventoryEntry copy(InventoryEntry e, Boolean extractable, Boolean trusted) {
    return new InventoryEntry(e.objectClass(), e.keyType(), e.label(), e.id(), e.publicValue(), e.token(),
        e.privateObject(), e.local(), e.sensitive(), e.alwaysSensitive(), extractable,
        e.neverExtractable(), e.wrapWithTrusted(), trusted, e.modifiable(), e.usages());
  }

  /** Hex helpers for the tests. */
  static final class P256Hex {
    static String of(byte[] b) {
      return java.util.HexFormat.of().formatHex(b);
    }

    static String sha(String hex) {
      return dev.bkv.crypto.Sha256.hex(java.util.HexFormat.of().parseHex(hex));
    }
  }

  @Test
  void tokensWithoutASerialAreToldApartByTheirLabel() {
    // NSS softokn reports sixteen zeros for every database
    var nss1 = new dev.bkv.pkcs11.TokenDescription("bkv-member-1", "Mozilla Foundation", "NSS 3",
        "0000000000000000", "0.0", "0.0");
    var nss2 = new dev.bkv.pkcs11.TokenDescription("bkv-member-2", "Mozilla Foundation", "NSS 3",
        "0000000000000000", "0.0", "0.0");
    var hsm = new dev.bkv.pkcs11.TokenDescription("bkv-member-1", "SoftHSM project", "SoftHSM v2",
        "5f1b2c3d4e5f6071", "2.6", "2.6");
    assertFalse(EvidenceVerifier.hasSerial(nss1));
    assertTrue(EvidenceVerifier.hasSerial(hsm));
    assertNotEquals(EvidenceVerifier.tokenIdentity(nss1), EvidenceVerifier.tokenIdentity(nss2));
    assertEquals("SoftHSM project/5f1b2c3d4e5f6071", EvidenceVerifier.tokenIdentity(hsm));
    var relabelled = new dev.bkv.pkcs11.TokenDescription("other", "SoftHSM project", "SoftHSM v2",
        "5f1b2c3d4e5f6071", "2.6", "2.6");
    assertEquals(EvidenceVerifier.tokenIdentity(hsm), EvidenceVerifier.tokenIdentity(relabelled),
        "a token with a serial is the same token whatever its label");
  }
}
